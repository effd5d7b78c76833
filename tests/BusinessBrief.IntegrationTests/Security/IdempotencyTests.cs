using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.IntegrationTests.EndToEnd;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// A client that never got its answer retries with the same <c>Idempotency-Key</c> and gets the same brief; the
/// broker sees one command (nothing consumes it here, so <c>brief-state</c> counts exactly what was sent).
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class IdempotencyTests(ApiAloneFixture api)
{
    [Fact]
    public async Task Retrying_with_the_same_key_returns_the_same_brief_and_sends_one_command()
    {
        var client = api.ClientFor($"retry-{Guid.NewGuid():N}");
        var key = Guid.NewGuid().ToString();
        var commands = await api.CommandsSent();

        var first = await Generate(client, key, BriefApiClient.DakarRequest());
        var retry = await Generate(client, key, BriefApiClient.DakarRequest());

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(await BriefId(first), await BriefId(retry));
        Assert.Equal(retry.Headers.Location, first.Headers.Location);
        Assert.Equal(commands + 1, await api.CommandsSent());
    }

    [Fact]
    public async Task Ten_concurrent_requests_with_one_key_start_one_brief()
    {
        var client = api.ClientFor($"concurrent-{Guid.NewGuid():N}");
        var key = Guid.NewGuid().ToString();
        var commands = await api.CommandsSent();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Generate(client, key, BriefApiClient.DakarRequest())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single((await Task.WhenAll(responses.Select(BriefId))).Distinct());
        Assert.Equal(commands + 1, await api.CommandsSent());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422()
    {
        var client = api.ClientFor($"reuse-{Guid.NewGuid():N}");
        var key = Guid.NewGuid().ToString();
        var first = await Generate(client, key, BriefApiClient.DakarRequest());
        var commands = await api.CommandsSent();

        var reused = await Generate(client, key, BriefApiClient.DakarRequest("Menuiserie Baobab"));

        await reused.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(commands, await api.CommandsSent());
        var brief = await client.Get(await BriefId(first));
        Assert.Equal("Boulangerie Téranga", brief.GetProperty("business_name").GetString());
    }

    [Fact]
    public async Task A_french_client_reusing_a_key_for_another_body_is_told_so_in_french()
    {
        var client = api.ClientFor($"reuse-fr-{Guid.NewGuid():N}");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-SN, fr;q=0.9");
        var key = Guid.NewGuid().ToString();
        await Generate(client, key, BriefApiClient.DakarRequest());

        var reused = await Generate(client, key, BriefApiClient.DakarRequest("Menuiserie Baobab"));

        var problem = await reused.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Idempotency-Key déjà utilisée pour une autre requête", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Two_users_with_the_same_key_get_two_briefs()
    {
        var awa = api.ClientFor($"awa-{Guid.NewGuid():N}");
        var moussa = api.ClientFor($"moussa-{Guid.NewGuid():N}");
        var key = Guid.NewGuid().ToString();
        var commands = await api.CommandsSent();

        var hers = await Generate(awa, key, BriefApiClient.DakarRequest());
        var his = await Generate(moussa, key, BriefApiClient.DakarRequest());

        Assert.Equal(HttpStatusCode.Accepted, hers.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, his.StatusCode);
        var herBrief = await BriefId(hers);
        Assert.NotEqual(herBrief, await BriefId(his));
        Assert.Equal(commands + 2, await api.CommandsSent());
        await (await moussa.GetAsync($"{BriefApiClient.BasePath}/{herBrief}")).AssertProblem(HttpStatusCode.NotFound);
    }

    static Task<HttpResponseMessage> Generate(HttpClient client, string key, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{BriefApiClient.BasePath}/generate") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    static async Task<Guid> BriefId(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("brief_id").GetGuid();
}
