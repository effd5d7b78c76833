using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.IntegrationTests.Security;

[Collection(ApiAloneCollection.Name)]
public class AuthenticationTests(ApiAloneFixture api)
{
    public static TheoryData<string> RejectedTokens =>
        ["missing", "expired beyond the clock skew", "signed with another key", "for another audience", "alg none",
         "RS256 with another party's key", "without a subject", "not a token"];

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
            "RS256 with another party's key" => api.ClientWithToken(SignedWithFreshRsaKey(api.Token("awa"))),
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

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task A_token_signed_with_the_api_key_but_not_with_HS256_gets_401(string algorithm)
    {
        // 512 bits: with the 256-bit development key, IdentityModel refuses HS384 and HS512 for the key's size alone,
        // and only the algorithm pin is left to refuse them here.
        var key = RandomNumberGenerator.GetBytes(64);
        await using var factory = new ApiFactory(new Dictionary<string, string?>(api.Settings)
        {
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(key),
        });
        Task<HttpResponseMessage> Read(string signedWith)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token("awa", key: key, algorithm: signedWith));
            return client.GetAsync($"{BriefApiClient.BasePath}/{Guid.NewGuid()}");
        }

        await (await Read("HS256")).AssertProblem(HttpStatusCode.NotFound);
        await (await Read(algorithm)).AssertProblem(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// The routes anyone may call, by method and pattern. A route added without authorization fails
    /// <see cref="Every_route_not_listed_as_anonymous_answers_401_without_a_token"/> until it is listed here on purpose.
    /// </summary>
    static readonly string[] AnonymousRoutes =
    [
        "GET /health/live",
        "GET /health/ready",
        "GET /openapi/{documentName}.json",
        "GET /scalar/{documentName?}",
        "GET /scalar/favicon.svg",
        "GET /scalar/scalar.aspnetcore.js",
        "GET /scalar/scalar.js",
        // The preview page explains how to open a session; closing one needs none.
        "GET /briefs/{brief_id:guid}",
        "DELETE /briefs/session/",
    ];

    [Fact]
    public async Task Every_route_not_listed_as_anonymous_answers_401_without_a_token()
    {
        var anonymous = api.AnonymousClient();
        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Route: $"{method} {endpoint.RoutePattern.RawText}", Method: method, endpoint.RoutePattern,
                    Anonymous: endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || !endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any())))
            .ToList();

        Assert.Equal(AnonymousRoutes.Order(), routes.Where(r => r.Anonymous).Select(r => r.Route).Order());
        var protectedRoutes = routes.Where(r => !r.Anonymous).ToList();
        Assert.True(protectedRoutes.Count >= 10, string.Join("\n", protectedRoutes.Select(r => r.Route)));
        foreach (var route in protectedRoutes)
        {
            var request = new HttpRequestMessage(new HttpMethod(route.Method), Path(route.RoutePattern))
            {
                Content = route.Method is "POST" or "PUT" or "PATCH" ? JsonContent.Create(new { }) : null,
            };
            var response = await anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Route}: {(int)response.StatusCode}");
            await response.AssertProblem(HttpStatusCode.Unauthorized);
        }
    }

    // Each parameter gets a value its constraint accepts: an int, or a fresh guid (for ids and anything else).
    static string Path(RoutePattern pattern) => "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(
        segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "int") => "1",
            RoutePatternParameterPart => Guid.NewGuid().ToString(),
            _ => throw new ArgumentOutOfRangeException(nameof(pattern), part.GetType().Name),
        }))));

    /// <summary>The token's header and claims, signed RS256 with a key the API has never seen.</summary>
    static string SignedWithFreshRsaKey(string token)
    {
        using var rsa = RSA.Create(2048);
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var signing = $"{header}.{token.Split('.')[1]}";
        return $"{signing}.{Base64Url(rsa.SignData(Encoding.ASCII.GetBytes(signing), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

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
