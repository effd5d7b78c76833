using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Api.Briefs;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// OWASP API4: once a user's language-model tokens for the day are spent, the API starts no more work for them until
/// midnight UTC. Tokens are charged here as the orchestrator charges each answered job.
/// </summary>
public class UserTokenBudgetTests(TokenBudgetApiFixture api) : IClassFixture<TokenBudgetApiFixture>
{
    [Fact]
    public async Task A_user_who_spent_the_day_s_tokens_gets_429_until_midnight_utc_on_generate_and_regenerate_and_others_do_not()
    {
        var userId = $"spender-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var briefId = await api.ReadyBrief(userId);
        await TokenBudgetAssertions.Charge(api, userId, TokenBudgetApiFixture.PerUserPerDay);
        var commands = await api.CommandsSent();

        var askedAt = DateTime.UtcNow;
        var generate = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/generate", BriefApiClient.DakarRequest());
        var regenerate = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/{briefId}/regenerate",
            new JsonObject { ["sections"] = new JsonArray("seo_optimization") });

        foreach (var refused in new[] { generate, regenerate })
            await TokenBudgetAssertions.RefusedUntilMidnight(refused, "user", askedAt);
        Assert.Equal(commands, await api.CommandsSent());
        Assert.Equal("ready", (await client.Get(briefId)).GetProperty("status").GetString());
        await api.ClientFor($"thrifty-{Guid.NewGuid():N}").Submit();
    }

    [Fact]
    public async Task A_user_under_the_budget_starts_work_and_another_user_s_brief_stays_404_when_the_budget_is_spent()
    {
        var userId = $"spender-{Guid.NewGuid():N}";
        await TokenBudgetAssertions.Charge(api, userId, TokenBudgetApiFixture.PerUserPerDay - 1);
        await api.ClientFor(userId).Submit();

        await TokenBudgetAssertions.Charge(api, userId, 1);
        var foreign = await api.ReadyBrief($"owner-{Guid.NewGuid():N}");
        var regenerate = await api.ClientFor(userId).PostAsJsonAsync($"{BriefApiClient.BasePath}/{foreign}/regenerate",
            new JsonObject { ["sections"] = new JsonArray("seo_optimization") });
        Assert.Equal(HttpStatusCode.NotFound, regenerate.StatusCode);
    }

    [Fact]
    public async Task A_client_retrying_with_its_idempotency_key_after_the_budget_was_spent_gets_the_brief_it_started()
    {
        var userId = $"spender-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var key = Guid.NewGuid().ToString();
        var first = await GenerateWithKey(client, key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await TokenBudgetAssertions.Charge(api, userId, TokenBudgetApiFixture.PerUserPerDay);

        var retried = await GenerateWithKey(client, key);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(first.Headers.Location, retried.Headers.Location);
        var askedAt = DateTime.UtcNow;
        await TokenBudgetAssertions.RefusedUntilMidnight(await GenerateWithKey(client, Guid.NewGuid().ToString()), "user", askedAt);
    }

    static Task<HttpResponseMessage> GenerateWithKey(HttpClient client, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{BriefApiClient.BasePath}/generate") { Content = JsonContent.Create(BriefApiClient.DakarRequest()) };
        request.Headers.Add(BriefsApi.IdempotencyKeyHeader, key);
        return client.SendAsync(request);
    }
}

/// <summary>Once all users together spent the day's tokens, nobody starts work; a fixture of its own, as it stops every user.</summary>
public class GlobalTokenBudgetTests(TokenBudgetApiFixture api) : IClassFixture<TokenBudgetApiFixture>
{
    [Fact]
    public async Task When_all_users_together_spent_the_day_s_tokens_every_user_gets_429_saying_it_is_the_global_budget()
    {
        for (var i = 0; i < TokenBudgetApiFixture.GlobalPerDay / TokenBudgetApiFixture.PerUserPerDay; i++)
            await TokenBudgetAssertions.Charge(api, $"spender-{i}-{Guid.NewGuid():N}", TokenBudgetApiFixture.PerUserPerDay - 1);
        await api.ClientFor($"last-{Guid.NewGuid():N}").Submit();
        await TokenBudgetAssertions.Charge(api, $"last-{Guid.NewGuid():N}", TokenBudgetApiFixture.GlobalPerDay);

        var askedAt = DateTime.UtcNow;
        var refused = await api.ClientFor($"newcomer-{Guid.NewGuid():N}")
            .PostAsJsonAsync($"{BriefApiClient.BasePath}/generate", BriefApiClient.DakarRequest());

        await TokenBudgetAssertions.RefusedUntilMidnight(refused, "global", askedAt);
    }
}

static class TokenBudgetAssertions
{
    public static Task Charge(ApiAloneFixture api, string userId, long tokens) =>
        api.Services.GetRequiredService<TokenBudgets>().Charge(userId, Guid.NewGuid(), tokens);

    /// <summary>The server rounds the time left up to whole seconds at some instant between asking and now.</summary>
    public static async Task RefusedUntilMidnight(HttpResponseMessage refused, string budget, DateTime askedAt)
    {
        var answeredBy = DateTime.UtcNow;
        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("Daily token budget spent", problem.GetProperty("title").GetString());
        Assert.Equal(budget, problem.GetProperty("budget").GetString());
        var midnight = askedAt.Date.AddDays(1);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, midnight - answeredBy, midnight - askedAt + TimeSpan.FromSeconds(1));
    }
}
