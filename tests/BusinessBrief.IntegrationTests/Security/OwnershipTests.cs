using System.Net;
using System.Net.Http.Json;
using BusinessBrief.IntegrationTests.EndToEnd;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// A brief belongs to the user who created it (OWASP API1): every endpoint that takes a brief id answers another
/// user exactly as it answers for a brief that does not exist, and does nothing.
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class OwnershipTests(ApiAloneFixture api)
{
    public static TheoryData<string> BriefEndpoints => ["get", "results", "regenerate", "export", "logo", "cancel", "delete"];

    static Task<HttpResponseMessage> Call(HttpClient client, string endpoint, Guid briefId) => endpoint switch
    {
        "get" => client.GetAsync($"{BriefApiClient.BasePath}/{briefId}"),
        "results" => client.GetAsync($"{BriefApiClient.BasePath}/{briefId}/results"),
        "regenerate" => client.PostAsJsonAsync($"{BriefApiClient.BasePath}/{briefId}/regenerate",
            new { sections = new[] { "logo_creation" }, feedback = "Plus de couleurs" }),
        "export" => client.GetAsync($"{BriefApiClient.BasePath}/{briefId}/export?format=json"),
        "logo" => client.GetAsync($"{BriefApiClient.BasePath}/{briefId}/logos/1.svg"),
        "cancel" => client.PostAsync($"{BriefApiClient.BasePath}/{briefId}/cancel", null),
        "delete" => client.DeleteAsync($"{BriefApiClient.BasePath}/{briefId}"),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
    };

    [Theory]
    [MemberData(nameof(BriefEndpoints))]
    public async Task Another_user_gets_404_as_for_a_brief_that_does_not_exist_and_changes_nothing(string endpoint)
    {
        var ownerId = $"owner-{Guid.NewGuid():N}";
        var owner = api.ClientFor(ownerId);
        var other = api.ClientFor($"other-{Guid.NewGuid():N}");
        var briefId = await api.ReadyBrief(ownerId);
        var commands = await api.CommandsSent();

        var theirs = await (await Call(other, endpoint, briefId)).AssertProblem(HttpStatusCode.NotFound);
        var missing = await (await Call(other, endpoint, Guid.NewGuid())).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(missing.GetProperty("title").GetString(), theirs.GetProperty("title").GetString());
        Assert.Equal(commands, await api.CommandsSent());
        var brief = await owner.Get(briefId);
        Assert.Equal("ready", brief.GetProperty("status").GetString());
        Assert.Equal(1, brief.GetProperty("revision").GetInt32());
    }

    [Theory]
    [MemberData(nameof(BriefEndpoints))]
    public async Task The_owner_reaches_every_endpoint_of_their_brief(string endpoint)
    {
        var ownerId = $"owner-{Guid.NewGuid():N}";
        var owner = api.ClientFor(ownerId);
        var briefId = await api.ReadyBrief(ownerId);
        var commands = await api.CommandsSent();

        var response = await Call(owner, endpoint, briefId);

        var expected = endpoint switch
        {
            "regenerate" => HttpStatusCode.Accepted,
            // A ready brief has no generation left to cancel.
            "cancel" => HttpStatusCode.Conflict,
            "delete" => HttpStatusCode.NoContent,
            _ => HttpStatusCode.OK,
        };
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(commands + (endpoint == "regenerate" ? 1u : 0u), await api.CommandsSent());
    }

    public static TheoryData<string> Reads => ["get", "conditional get", "results", "export", "logo"];

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Another_users_read_does_not_keep_a_brief_alive_but_the_owners_read_does(string read)
    {
        var ownerId = $"owner-{Guid.NewGuid():N}";
        var briefId = await api.ReadyBrief(ownerId);
        var database = api.Redis.GetDatabase();
        var key = api.BriefKey(briefId);
        var shortened = TimeSpan.FromMinutes(1);
        await database.KeyExpireAsync(key, shortened);

        var theirs = await Read(api.ClientFor($"other-{Guid.NewGuid():N}"), read, briefId);
        await theirs.AssertProblem(HttpStatusCode.NotFound);
        Assert.True(await database.KeyTimeToLiveAsync(key) <= shortened, "another user's read renewed the brief");

        Assert.True((await Read(api.ClientFor(ownerId), read, briefId)).IsSuccessStatusCode);
        Assert.True(await database.KeyTimeToLiveAsync(key) > TimeSpan.FromHours(1), "the owner's read did not renew the brief");
    }

    // A conditional read checks the brief's tag alone, through a cheaper path than the full read.
    static Task<HttpResponseMessage> Read(HttpClient client, string read, Guid briefId) => read == "conditional get"
        ? client.GetIfChanged($"{BriefApiClient.BasePath}/{briefId}", "\"0\"")
        : Call(client, read, briefId);

    [Fact]
    public async Task Another_user_gets_404_for_a_brief_accepted_but_not_yet_stored_by_the_orchestrator()
    {
        var owner = api.ClientFor($"owner-{Guid.NewGuid():N}");
        var other = api.ClientFor($"other-{Guid.NewGuid():N}");
        // Nothing consumes commands here: the brief stays the API's accepted request, never a saga.
        var briefId = await owner.Submit();

        Assert.Equal("generating", (await owner.Get(briefId)).GetProperty("status").GetString());
        await (await other.GetAsync($"{BriefApiClient.BasePath}/{briefId}")).AssertProblem(HttpStatusCode.NotFound);
        await (await other.GetAsync($"{BriefApiClient.BasePath}/{briefId}/results")).AssertProblem(HttpStatusCode.NotFound);
    }
}
