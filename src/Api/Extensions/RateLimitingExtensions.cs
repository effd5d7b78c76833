using System.Threading.RateLimiting;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BusinessBrief.Api.Extensions;

public static class RateLimitingExtensions
{
    public const string GeneratePolicy = "generate";
    public const string RegeneratePolicy = "regenerate";

    /// <summary>
    /// Per-user fixed windows on the endpoints that start work, sized by <c>BriefApi:RateLimits</c>. Counters live in
    /// this process's memory: with several API instances a user gets the limit once per instance.
    /// </summary>
    public static IServiceCollection AddBriefRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(GeneratePolicy, http => PerUser(http, limits => limits.Generate));
            limiter.AddPolicy(RegeneratePolicy, http => PerUser(http, limits => limits.Regenerate));
            limiter.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
                http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString();
                var messages = http.RequestServices.GetRequiredService<ProblemMessages>();
                await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                    title: messages.TooManyRequestsTitle, detail: messages.TooManyRequests(seconds)).ExecuteAsync(http);
            };
        });
        return services;
    }

    // Only authenticated requests get this far (authorization runs first), so every partition is one user.
    static RateLimitPartition<string> PerUser(HttpContext http, Func<BriefRateLimitOptions, RateLimit> select)
    {
        var limit = select(http.RequestServices.GetRequiredService<IOptions<BriefApiOptions>>().Value.RateLimits);
        return RateLimitPartition.GetFixedWindowLimiter(http.User.UserId(), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });
    }
}
