using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BusinessBrief.Agents;
using BusinessBrief.Api.Extensions;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.LoadBenchmark;
using BusinessBrief.Orchestrator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// What docker-compose runs: every service in Production, its secrets from the environment. The development signing
/// key (committed in appsettings.Development.json, used by <c>./bb token</c>) opens nothing there.
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class ProductionSettingsTests(ApiAloneFixture api)
{
    const string Issuer = "businessbrief";
    const string Audience = "businessbrief-api";
    static readonly byte[] ProductionKey = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData("as ./bb token prints it", HttpStatusCode.Unauthorized)]
    [InlineData("with the development key and the production issuer", HttpStatusCode.Unauthorized)]
    [InlineData("with the production key", HttpStatusCode.NotFound)]
    public async Task A_production_api_accepts_only_tokens_signed_with_the_key_it_was_given(string token, HttpStatusCode expected)
    {
        await using var production = new ApiFactory(ProductionSettings()).WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var client = production.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token switch
        {
            "as ./bb token prints it" => RepositoryFiles.DevelopmentTokens.Mint("awa"),
            "with the development key and the production issuer" => new DevelopmentTokens(DevelopmentKey(), Issuer, Audience).Mint("awa"),
            _ => new DevelopmentTokens(ProductionKey, Issuer, Audience).Mint("awa"),
        });

        var response = await client.GetAsync($"{BriefApiClient.BasePath}/{Guid.NewGuid()}");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("api", "ConnectionStrings:rabbitmq, ConnectionStrings:redis, ConnectionStrings:postgres")]
    [InlineData("orchestrator", "ConnectionStrings:rabbitmq, ConnectionStrings:redis, ConnectionStrings:postgres")]
    [InlineData("agents", "ConnectionStrings:rabbitmq")]
    public void A_service_without_its_broker_or_redis_settings_refuses_to_start_naming_them(string service, string missing)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        // Only what this test gives: no environment variable (./bb exports connection strings) may fill the gap.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(ProductionSettings().Where(s => !s.Key.StartsWith("ConnectionStrings:", StringComparison.Ordinal)));

        var refused = Assert.Throws<InvalidOperationException>(() => Add(service, builder));

        Assert.StartsWith($"Required setting {missing} is not set", refused.Message);
    }

    static void Add(string service, WebApplicationBuilder builder)
    {
        switch (service)
        {
            case "api": builder.AddBriefApi(); break;
            case "orchestrator": builder.AddBriefOrchestrator(); break;
            default: builder.AddSubAgents(); break;
        }
    }

    Dictionary<string, string?> ProductionSettings() => new(api.Settings)
    {
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(ProductionKey),
    };

    static byte[] DevelopmentKey() => Convert.FromBase64String(
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf(DevelopmentTokens.SettingsFile)))!
            ["Authentication"]!["Schemes"]!["Bearer"]!["SigningKeys"]![0]!["Value"]!.GetValue<string>());
}
