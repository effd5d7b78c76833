using System.Net;
using System.Net.Http.Headers;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>Two copies of the API behind one Redis, as behind a load balancer: a user's rate limit holds across them.</summary>
public sealed class SharedRateLimitTests(SharedRateLimitTests.TwoCopiesFixture api) : IClassFixture<SharedRateLimitTests.TwoCopiesFixture>
{
    const int ReadPermits = 4;

    [Fact]
    public async Task A_user_alternating_between_two_api_copies_gets_the_limit_once_not_once_per_copy()
    {
        var userId = $"roaming-{Guid.NewGuid():N}";
        HttpClient[] copies = [api.ClientFor(userId), api.SecondCopyClientFor(userId)];
        var path = $"{BriefApiClient.BasePath}/{Guid.NewGuid()}";

        for (var i = 0; i < ReadPermits; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await copies[i % 2].GetAsync(path)).StatusCode);

        foreach (var copy in copies)
        {
            var refused = await copy.GetAsync(path);
            await refused.AssertProblem(HttpStatusCode.TooManyRequests);
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await api.SecondCopyClientFor($"other-{Guid.NewGuid():N}").GetAsync(path)).StatusCode);
    }

    /// <summary>The API alone, and a second copy of it with the same settings: same Redis key root, same broker.</summary>
    public sealed class TwoCopiesFixture : ApiAloneFixture, IAsyncLifetime
    {
        ApiFactory secondCopy = null!;

        protected override IReadOnlyDictionary<string, string?> Limits => new Dictionary<string, string?>(base.Limits)
        {
            ["BriefApi:RateLimits:Read:PermitLimit"] = $"{ReadPermits}",
            ["BriefApi:RateLimits:Read:Window"] = "01:00:00",
        };

        async Task IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            secondCopy = new ApiFactory(Settings);
        }

        async Task IAsyncLifetime.DisposeAsync()
        {
            await secondCopy.DisposeAsync();
            await DisposeAsync();
        }

        public HttpClient SecondCopyClientFor(string userId)
        {
            var client = secondCopy.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId));
            return client;
        }
    }
}
