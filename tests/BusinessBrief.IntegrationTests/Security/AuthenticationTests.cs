using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using Microsoft.AspNetCore.Hosting;

namespace BusinessBrief.IntegrationTests.Security;

[Collection(ApiAloneCollection.Name)]
public class AuthenticationTests(ApiAloneFixture api)
{
    public static TheoryData<string> RejectedTokens =>
        ["missing", "expired beyond the clock skew", "signed with another key", "for another audience", "alg none",
         "without a subject", "not a token"];

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task A_request_without_a_valid_token_gets_401_problem_and_starts_nothing(string token)
    {
        var client = token switch
        {
            "missing" => api.AnonymousClient(),
            "expired beyond the clock skew" => api.ClientWithToken(api.Token("awa", expires: DateTime.UtcNow.AddMinutes(-2))),
            "signed with another key" => api.ClientWithToken(api.Token("awa", key: RandomNumberGenerator.GetBytes(32))),
            "for another audience" => api.ClientWithToken(api.Token("awa", audience: "some-other-api")),
            "alg none" => api.ClientWithToken(RepositoryFiles.DevelopmentTokens.Unsigned("awa")),
            "without a subject" => api.ClientWithToken(api.Token(userId: null)),
            "not a token" => api.ClientWithToken("awa"),
            _ => throw new ArgumentOutOfRangeException(nameof(token)),
        };
        var commands = await api.CommandsSent();
        var keys = await api.Keys();

        var response = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/generate", BriefApiClient.DakarRequest());

        var problem = await response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(commands, await api.CommandsSent());
        Assert.Equal(keys, await api.Keys());
    }

    [Fact]
    public async Task Every_endpoint_needs_a_token()
    {
        var anonymous = api.AnonymousClient();
        var briefId = await api.ReadyBrief("awa");

        foreach (var response in new[]
        {
            await anonymous.GetAsync($"{BriefApiClient.BasePath}/{briefId}"),
            await anonymous.GetAsync($"{BriefApiClient.BasePath}/{briefId}/results"),
            await anonymous.PostAsJsonAsync($"{BriefApiClient.BasePath}/{briefId}/regenerate", new { sections = new[] { "logo_creation" } }),
        })
            await response.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_that_expired_within_the_30_second_skew_still_works()
    {
        var client = api.ClientWithToken(api.Token("awa", expires: DateTime.UtcNow.AddSeconds(-5)));
        var briefId = await api.ReadyBrief("awa");

        var response = await client.GetAsync($"{BriefApiClient.BasePath}/{briefId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_api_refuses_to_start_without_a_signing_key()
    {
        await using var production = new ApiFactory(api.Settings).WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var refused = Assert.ThrowsAny<Exception>(() => production.Server);

        Assert.Contains("SigningKeys is not configured", refused.ToString());
    }

    [Fact]
    public async Task The_401_problem_is_in_french_for_a_french_client()
    {
        var client = api.AnonymousClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-SN, fr;q=0.9");

        var response = await client.GetAsync($"{BriefApiClient.BasePath}/{Guid.NewGuid()}");

        var problem = await response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("jeton porteur valide", problem.GetProperty("detail").GetString());
    }
}
