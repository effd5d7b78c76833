using System.Diagnostics;
using System.Threading.RateLimiting;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Extensions;

/// <summary>
/// One client's fixed window under one policy, counted in Redis (<see cref="RequestRates"/>) so that every API copy counts
/// against the same limit. Redis out of reach lets requests through: the routes that need Redis then fail on their own (503),
/// and those that do not (API documents, the preview page's shell) keep working.
/// </summary>
sealed class SharedFixedWindowLimiter(RequestRates rates, string policy, string client, RateLimit limit, ILogger logger) : RateLimiter
{
    long lastUsed = Stopwatch.GetTimestamp();

    // Lets ASP.NET Core drop the limiter of a client gone quiet: the count stays in Redis.
    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    // Only Redis can answer: refusing here makes the middleware ask AcquireAsync, which it awaits.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => WindowLease.Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref lastUsed, Stopwatch.GetTimestamp());
        try
        {
            var window = await rates.Count(policy, client, limit.Window);
            return window.Count <= limit.PermitLimit ? WindowLease.Granted : WindowLease.Refused(window.EndsIn);
        }
        catch (Exception ex) when (StorageFaults.IsRedisFailure(ex))
        {
            logger.LogWarning(ex, "Rate limit {Policy} not checked: Redis is out of reach", policy);
            return WindowLease.Granted;
        }
    }

    sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Granted = new(true, null);
        public static readonly WindowLease Undecided = new(false, null);

        public static WindowLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
