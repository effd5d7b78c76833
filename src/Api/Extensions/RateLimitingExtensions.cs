using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BusinessBrief.Api.Extensions;

/// <summary>
/// Every route but the health probes names one of these policies (a test enumerates the routes): per user on what needs a
/// token, per client address on what does not. Fixed windows sized by <c>BriefApi:RateLimits</c>, counted in Redis
/// (<see cref="SharedFixedWindowLimiter"/>): with several API copies a client still gets each limit once.
/// </summary>
public static class RateLimitingExtensions
{
    public const string GeneratePolicy = "generate";
    public const string RegeneratePolicy = "regenerate";

    /// <summary>Reads of a brief, its exports, logos and events: generous, a client polls.</summary>
    public const string ReadPolicy = "read";

    /// <summary>Other changes (cancel, delete, opening a preview session): strict, none is needed often.</summary>
    public const string WritePolicy = "write";

    /// <summary>Routes without a token (preview page, API documents): per client address, the only name such a request has.</summary>
    public const string PerAddressPolicy = "per-address";

    public static IServiceCollection AddBriefRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(GeneratePolicy, http => PerUser(http, GeneratePolicy, limits => limits.Generate));
            limiter.AddPolicy(RegeneratePolicy, http => PerUser(http, RegeneratePolicy, limits => limits.Regenerate));
            limiter.AddPolicy(ReadPolicy, http => PerUser(http, ReadPolicy, limits => limits.Read));
            limiter.AddPolicy(WritePolicy, http => PerUser(http, WritePolicy, limits => limits.Write));
            limiter.AddPolicy(PerAddressPolicy, http => Window(http, PerAddressPolicy, ClientNetwork(http.Connection.RemoteIpAddress), Limits(http).PerAddress));
            limiter.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                await TooManyRequests(context.HttpContext, retryAfter, messages => messages.TooManyRequests).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>A 429 problem with <c>Retry-After</c> in whole seconds (at least 1), its detail in the request's language.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, TimeSpan retryAfter, Func<ProblemMessages, Func<int, string>> detail)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString();
        var messages = http.RequestServices.GetRequiredService<ProblemMessages>();
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: messages.TooManyRequestsTitle,
            detail: detail(messages)(seconds));
    }

    /// <summary>
    /// The partition of an anonymous client: its IPv4 address, or its IPv6 /64, since one host commonly holds a whole /64.
    /// Behind a proxy this is the client's address only when the proxy is a known one (forwarded headers).
    /// </summary>
    public static string ClientNetwork(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    // Only authenticated requests get this far (authorization runs first), so every partition is one user.
    static RateLimitPartition<string> PerUser(HttpContext http, string policy, Func<BriefRateLimitOptions, RateLimit> select) =>
        Window(http, policy, http.User.UserId(), select(Limits(http)));

    static RateLimitPartition<string> Window(HttpContext http, string policy, string partition, RateLimit limit) =>
        RateLimitPartition.Get(partition, client => new SharedFixedWindowLimiter(http.RequestServices.GetRequiredService<RequestRates>(),
            policy, client, limit, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<SharedFixedWindowLimiter>()));

    static BriefRateLimitOptions Limits(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<BriefApiOptions>>().Value.RateLimits;
}
