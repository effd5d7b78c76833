using System.Text.Json;
using BusinessBrief.IntegrationTests.EndToEnd;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>What a client developer does with <c>/openapi/v1.json</c>: lint it, generate a client, call the API with it.</summary>
[Collection(BriefSystemCollection.Name)]
public class GeneratedClientTests(BriefSystemFixture system, ITestOutputHelper log)
{
    /// <summary>
    /// Warnings of Redocly's recommended rules that stay, each for a reason (README, "The OpenAPI document"):
    /// no license is chosen for the project.
    /// </summary>
    static readonly string[] AcceptedWarnings = ["info-license"];

    [Fact]
    public async Task The_document_passes_redocly_recommended_rules_with_no_error_and_no_example_contradicting_its_schema()
    {
        var document = await OpenApiTools.SaveDocument(system.AnonymousClient());

        // Redocly exits 1 on errors: the report is read either way, so that the failure lists them.
        var (_, output, error) = await RepositoryFiles.Run(Path.Combine(OpenApiTools.Folder, "node_modules", ".bin", "redocly"),
            ["lint", document, "--format=json"]);
        Assert.False(string.IsNullOrWhiteSpace(output), $"redocly wrote no report: {error}");
        var problems = JsonDocument.Parse(output).RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (Severity: p.GetProperty("severity").GetString(), Rule: p.GetProperty("ruleId").GetString(), p.GetProperty("message").GetString()))
            .ToList();

        var unexpected = problems.Where(p => p.Severity == "error" || !AcceptedWarnings.Contains(p.Rule)).ToList();
        Assert.True(unexpected.Count == 0, $"redocly lint {document}:\n{string.Join('\n', unexpected)}");
    }

    [Fact]
    public async Task A_typescript_client_generated_from_the_document_submits_long_polls_and_reads_a_brief_with_integer_ids()
    {
        var document = await OpenApiTools.SaveDocument(system.AnonymousClient());
        var client = Path.Combine(OpenApiTools.Folder, "client");
        Directory.CreateDirectory(client);
        File.Copy(RepositoryFiles.PathOf("tests/BusinessBrief.IntegrationTests/OperatorExperience/GeneratedClient/brief-client.mts"),
            Path.Combine(client, "brief-client.mts"), overwrite: true);

        await OpenApiTools.Run("openapi-typescript", document, "--output", Path.Combine(client, "schema.d.ts"));
        await OpenApiTools.Run("tsc", "--strict", "--target", "es2022", "--module", "nodenext", "--types", "node",
            "--typeRoots", Path.Combine(OpenApiTools.Folder, "node_modules", "@types"),
            "--outDir", client, Path.Combine(client, "brief-client.mts"));
        var (exitCode, output, error) = await RepositoryFiles.Run("node", [Path.Combine(client, "brief-client.mjs")],
            new Dictionary<string, string>
            {
                ["API_URL"] = system.AnonymousClient().BaseAddress!.ToString().TrimEnd('/'),
                ["API_TOKEN"] = system.Token("typescript-client"),
            });

        log.WriteLine(output);
        Assert.True(exitCode == 0, $"the generated client failed:\n{output}\n{error}");
        var seen = JsonDocument.Parse(output).RootElement;
        Assert.Equal("ready", seen.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, seen.GetProperty("coaching_session_id").ValueKind);
        Assert.Equal(4242, seen.GetProperty("coaching_session_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("dc360_website_id").ValueKind);
        Assert.Equal(5, seen.GetProperty("sections_with_results").GetArrayLength());
        Assert.StartsWith("\"", seen.GetProperty("etag").GetString());
    }
}
