using System.Net;
using System.Net.Http.Json;
using BusinessBrief.IntegrationTests.EndToEnd;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>Per-user request rates on the endpoints that start work, with the fixture's small limits.</summary>
[Collection(RateLimitedApiCollection.Name)]
public class RateLimitTests(RateLimitedApiFixture api)
{
    [Fact]
    public async Task Generating_faster_than_the_limit_gets_429_with_Retry_After_and_starts_nothing()
    {
        var client = api.ClientFor($"hasty-{Guid.NewGuid():N}");
        for (var i = 0; i < RateLimitedApiFixture.GeneratePermits; i++)
            await client.Submit();
        var commands = await api.CommandsSent();

        var refused = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/generate", BriefApiClient.DakarRequest());

        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 3600);
        Assert.Equal(commands, await api.CommandsSent());
        await api.ClientFor($"patient-{Guid.NewGuid():N}").Submit();
    }

    [Fact]
    public async Task Regenerating_faster_than_the_limit_gets_429_with_Retry_After_in_the_users_language()
    {
        var userId = $"hasty-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        // One brief per permit: a brief regenerating cannot be regenerated again (409) until it is done.
        var paths = new List<string>();
        for (var i = 0; i < RateLimitedApiFixture.RegeneratePermits; i++)
            paths.Add($"{BriefApiClient.BasePath}/{await api.ReadyBrief(userId)}/regenerate");
        var body = new { sections = new[] { "logo_creation" } };
        foreach (var path in paths)
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(path, body)).StatusCode);
        var commands = await api.CommandsSent();

        var refused = await client.PostAsJsonAsync(paths[0], body);

        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        var seconds = refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(seconds, 1, 3600);
        Assert.Equal($"Vous avez envoyé trop de requêtes de ce type ; réessayez dans {seconds} s.", problem.GetProperty("detail").GetString());
        Assert.Equal(commands, await api.CommandsSent());
    }
}
