using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.Persistence;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// OWASP API4: a user can start only so many briefs at a time (each one spends sub-agent calls). Nothing consumes
/// commands here, so a brief stays generating until the test stores it as ready.
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class BriefsInFlightTests(ApiAloneFixture api)
{
    [Fact]
    public async Task A_user_at_the_cap_of_briefs_generating_gets_429_until_one_of_them_is_ready()
    {
        var userId = $"busy-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var generating = new List<Guid>();
        for (var i = 0; i < ApiAloneFixture.MaxBriefsInFlight; i++)
            generating.Add(await client.Submit(BriefApiClient.DakarRequest($"Commerce n°{i}")));
        var commands = await api.CommandsSent();
        var keys = await api.Keys();

        var refused = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/generate", BriefApiClient.DakarRequest());

        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many briefs generating", problem.GetProperty("title").GetString());
        Assert.Equal(commands, await api.CommandsSent());
        Assert.Equal(keys.Order(), (await api.Keys()).Order());

        await api.Finish(userId, generating[0]);
        await client.Submit();
    }

    [Fact]
    public async Task The_cap_counts_each_user_on_their_own()
    {
        var busy = api.ClientFor($"busy-{Guid.NewGuid():N}");
        for (var i = 0; i < ApiAloneFixture.MaxBriefsInFlight; i++)
            await busy.Submit();

        await api.ClientFor($"idle-{Guid.NewGuid():N}").Submit();
    }

    [Theory]
    [InlineData(BriefStatus.Ready)]
    [InlineData(BriefStatus.Incomplete)]
    [InlineData(BriefStatus.Cancelled)]
    public async Task A_brief_being_regenerated_holds_a_place_in_flight_until_its_regeneration_ends(BriefStatus end)
    {
        var userId = $"regenerating-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var briefs = new List<Guid>();
        for (var i = 0; i <= ApiAloneFixture.MaxBriefsInFlight; i++)
            briefs.Add(await api.ReadyBrief(userId));
        foreach (var briefId in briefs.Take(ApiAloneFixture.MaxBriefsInFlight))
            Assert.Equal(HttpStatusCode.Accepted, (await Regenerate(client, briefId)).StatusCode);
        var commands = await api.CommandsSent();

        var refused = await Regenerate(client, briefs[^1]);

        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many briefs generating", problem.GetProperty("title").GetString());
        Assert.Equal(commands, await api.CommandsSent());
        Assert.Equal("ready", (await client.Get(briefs[^1])).GetProperty("status").GetString());

        await api.EndRegeneration(briefs[0], end);
        Assert.Equal(HttpStatusCode.Accepted, (await Regenerate(client, briefs[^1])).StatusCode);
    }

    static Task<HttpResponseMessage> Regenerate(HttpClient client, Guid briefId) =>
        client.PostAsJsonAsync($"{BriefApiClient.BasePath}/{briefId}/regenerate", new JsonObject { ["sections"] = new JsonArray("seo_optimization") });
}
