using System.Net;
using BusinessBrief.Api.Extensions;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>Limits on every route: reads per user, routes without a token per address, event streams per user.</summary>
[Collection(TightLimitsApiCollection.Name)]
public class EveryRouteLimitTests(TightLimitsApiFixture api)
{
    /// <summary>
    /// Routes without a rate limit, on purpose: orchestrators probe health every few seconds from one address, and a 429
    /// would make them restart a healthy instance; the probes are cheap (a Redis ping at most).
    /// </summary>
    static readonly string[] Unlimited = ["GET /health/live", "GET /health/ready"];

    static readonly string[] Policies =
    [
        RateLimitingExtensions.GeneratePolicy, RateLimitingExtensions.RegeneratePolicy, RateLimitingExtensions.ReadPolicy,
        RateLimitingExtensions.WritePolicy, RateLimitingExtensions.PerAddressPolicy,
    ];

    [Fact]
    public void Every_route_but_the_health_probes_has_a_rate_limit_policy()
    {
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Route: $"{method} {endpoint.RoutePattern.RawText}",
                    Policy: endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName)))
            .ToList();

        Assert.True(routes.Count >= 14, string.Join("\n", routes));
        Assert.Equal(Unlimited.Order(), routes.Where(r => r.Policy is null).Select(r => r.Route).Order());
        Assert.All(routes.Where(r => r.Policy is not null), r => Assert.Contains(r.Policy, Policies));
    }

    [Fact]
    public async Task Reading_faster_than_the_limit_gets_429_problem_with_Retry_After_and_other_users_read_on()
    {
        var client = api.ClientFor($"reader-{Guid.NewGuid():N}");
        var path = $"{BriefApiClient.BasePath}/{Guid.NewGuid()}";
        for (var i = 0; i < TightLimitsApiFixture.ReadPermits; i++)
            await (await client.GetAsync(path)).AssertProblem(HttpStatusCode.NotFound);

        var refused = await client.GetAsync($"{path}/export");

        await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        await (await api.ClientFor($"reader-{Guid.NewGuid():N}").GetAsync(path)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_address_calling_routes_without_a_token_too_often_gets_429_and_the_health_probes_stay_open()
    {
        var address = $"203.0.113.{Random.Shared.Next(1, 255)}";
        var client = api.ClientWithoutCookies();
        Task<HttpResponseMessage> From(string from, string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Forwarded-For", from);
            return client.SendAsync(request);
        }
        for (var i = 0; i < TightLimitsApiFixture.PerAddressPermits; i++)
            Assert.Equal(HttpStatusCode.OK, (await From(address, "/openapi/v1.json")).StatusCode);

        var refused = await From(address, $"/briefs/{Guid.NewGuid()}");

        await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        Assert.Equal(HttpStatusCode.OK, (await From("198.51.100.7", "/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await From(address, "/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_user_holding_the_maximum_of_event_streams_gets_429_until_one_closes()
    {
        var userId = $"watcher-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var briefId = await client.Submit();
        var events = $"{BriefApiClient.BasePath}/{briefId}/events";

        var first = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refused = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);

        // Before the body is read: a stream let through would never end.
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        first.Dispose();
        // Once the server saw the first stream close; the retries count against the read limit, hence its room.
        var again = await Eventually.Returns("a stream once the first closed", async () =>
        {
            using var response = await client.GetAsync(events, HttpCompletionOption.ResponseHeadersRead);
            return $"{response.StatusCode} {(response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync())}";
        }, status => status.StartsWith("OK"), TimeSpan.FromSeconds(5));
        Assert.StartsWith("OK", again);
    }
}
