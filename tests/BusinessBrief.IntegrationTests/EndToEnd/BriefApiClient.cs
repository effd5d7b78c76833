using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>What a client of the API does: submit, then poll.</summary>
public static class BriefApiClient
{
    public const string BasePath = "/api/v1/business/brief";

    public static JsonObject DakarRequest(string businessName = "Boulangerie Téranga") => new()
    {
        ["coaching_session_id"] = 4242,
        ["business_name"] = businessName,
        ["vision"] = "Devenir la boulangerie de quartier préférée de Dakar.",
        ["mission"] = "Offrir chaque matin du pain frais et des viennoiseries à prix juste.",
        ["target_audience"] = "Familles et employés de bureau du Plateau et de Médina",
        ["differentiation"] = "Farine de mil locale et livraison à vélo avant 8 h",
        ["value_proposition"] = "Du pain chaud livré à votre porte avant le travail",
        ["sector"] = "boulangerie",
        ["location"] = new JsonObject { ["city"] = "Dakar", ["country"] = "Sénégal" },
        ["language"] = "fr",
    };

    /// <summary>The least profile a brief can carry, for briefs that a test writes or sends without the API.</summary>
    public static BusinessProfile MinimalProfile(string businessName) => new()
    {
        CoachingSessionId = 42, BusinessName = businessName, Vision = "v", Mission = "m", TargetAudience = "t",
        Differentiation = "d", ValueProposition = "p", Sector = "commerce",
        Location = new BusinessLocation { City = "Dakar", Country = "Sénégal" },
    };

    public static async Task<Guid> Submit(this HttpClient client, JsonObject? request = null)
    {
        var response = await client.PostAsJsonAsync($"{BasePath}/generate", request ?? DakarRequest());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("generating", body.GetProperty("status").GetString());
        var briefId = body.GetProperty("brief_id").GetGuid();
        Assert.Equal($"{BasePath}/{briefId}", response.Headers.Location?.OriginalString);
        return briefId;
    }

    public static async Task<JsonElement> Get(this HttpClient client, Guid briefId)
    {
        var response = await client.GetAsync($"{BasePath}/{briefId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls until the brief leaves generating/regenerating, as <c>./bb demo</c> does.</summary>
    public static async Task<JsonElement> WaitUntilSettled(this HttpClient client, Guid briefId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var brief = await client.Get(briefId);
            var status = brief.GetProperty("status").GetString();
            if (status is not ("generating" or "regenerating"))
                return brief;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"brief {briefId} still {status} after {timeout}: {brief}");
            await Task.Delay(100);
        }
    }
}
