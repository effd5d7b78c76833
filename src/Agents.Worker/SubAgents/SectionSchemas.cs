using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;
using Json.Schema;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// The documented JSON schema of each section (Schemas/&lt;section&gt;.schema.json) and the checks a schema cannot
/// express: SVGs within the logo allow-list (<see cref="LogoSvg"/>), palette pairs that really reach WCAG AA,
/// a JSON-LD block that parses as a LocalBusiness and is safe inside <c>&lt;script&gt;</c>, template ids that exist in the catalogue. Every result, from
/// either backend, passes here before it leaves the agent.
/// </summary>
public class SectionSchemas
{
    readonly Dictionary<string, (JsonSchema Schema, SchemaVerdict Verdict, JsonElement Document)> schemas;
    readonly TemplateCatalogue templates;

    static readonly EvaluationOptions Findings = new() { OutputFormat = OutputFormat.List };

    public SectionSchemas(TemplateCatalogue templates)
    {
        this.templates = templates;
        // A registry of our own: the global one would refuse a second load of the same $id (e.g. in tests).
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        schemas = SectionNames.All.ToDictionary(section => section, section =>
        {
            var text = File.ReadAllText(CatalogueFile.PathOf("Schemas", $"{section}.schema.json"));
            var document = JsonDocument.Parse(text).RootElement.Clone();
            return (JsonSchema.FromText(text, build), new SchemaVerdict(document), document);
        });
    }

    /// <summary>The schema document, as the LLM backend sends it to the model.</summary>
    public JsonElement Document(string section) => schemas[section].Document;

    /// <summary>Everything wrong with a result, in words a model (or a developer) can act on; empty when valid.</summary>
    public IReadOnlyList<string> Problems(string section, JsonObject result)
    {
        var (schema, verdict, _) = schemas[section];
        // Nearly every result is valid, and the compiled verdict says so at a fraction of JsonSchema.Net's cost;
        // JsonSchema.Net judges and explains the rest.
        var evaluation = verdict.Holds(result) ? null : schema.Evaluate(JsonSerializer.SerializeToElement(result), Findings);
        var valid = evaluation?.IsValid ?? true;
        var problems = valid
            ? []
            : (evaluation!.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
                .Distinct()
                .ToList();
        if (valid)
            problems.AddRange(section switch
            {
                SectionNames.LogoCreation => LogoProblems(result),
                SectionNames.SeoOptimization => SeoProblems(result),
                SectionNames.TemplateSelection => TemplateProblems(result),
                _ => [],
            });
        return problems;
    }

    static IEnumerable<string> LogoProblems(JsonObject result)
    {
        foreach (var (concept, i) in result["concepts"]!.AsArray().Select((c, i) => (c!, i)))
            foreach (var problem in LogoSvg.Problems((string)concept["svg"]!))
                yield return $"/concepts/{i}/svg: {problem}";

        var colours = result["palette"]!["colors"]!.AsArray()
            .GroupBy(c => (string)c!["role"]!)
            .ToDictionary(g => g.Key, g => Colour.TryParse((string?)g.First()!["hex"]));
        foreach (var (pair, i) in result["palette"]!["contrast_pairs"]!.AsArray().Select((p, i) => (p!, i)))
        {
            var foreground = colours.GetValueOrDefault((string)pair["foreground"]!);
            var background = colours.GetValueOrDefault((string)pair["background"]!);
            if (foreground is null || background is null)
            {
                yield return $"/palette/contrast_pairs/{i}: foreground and background must be roles declared in palette.colors";
                continue;
            }
            var ratio = Colour.Contrast(foreground.Value, background.Value);
            if (ratio < Colour.AaContrast)
                yield return $"/palette/contrast_pairs/{i}: {foreground.Value.Hex} on {background.Value.Hex} has contrast {ratio:0.00}, below WCAG AA 4.5";
            else if (Math.Abs(ratio - (double)pair["ratio"]!) > 0.05)
                yield return $"/palette/contrast_pairs/{i}/ratio: the real contrast is {ratio:0.00}";
        }
    }

    static IEnumerable<string> SeoProblems(JsonObject result)
    {
        var text = (string)result["json_ld"]!;
        if (!JsonLd.IsScriptSafe(text))
            return ["/json_ld: must escape <, > and & as \\u003C, \\u003E and \\u0026 (it goes inside <script>)"];
        JsonNode? jsonLd;
        try
        {
            jsonLd = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            return [$"/json_ld: not valid JSON ({ex.Message})"];
        }
        if (jsonLd is not JsonObject block)
            return ["/json_ld: must be a JSON object"];
        var problems = new List<string>();
        if (!((string?)block["@context"] ?? "").Contains("schema.org", StringComparison.OrdinalIgnoreCase))
            problems.Add("/json_ld: @context must be https://schema.org");
        var types = block["@type"] switch
        {
            JsonArray array => array.Select(t => t?.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => [],
        };
        if (!types.Contains("LocalBusiness"))
            problems.Add("/json_ld: @type must include \"LocalBusiness\"");
        if (string.IsNullOrWhiteSpace((string?)block["name"]))
            problems.Add("/json_ld: name is required");
        if (string.IsNullOrWhiteSpace((string?)block["address"]?["addressLocality"]))
            problems.Add("/json_ld: address.addressLocality (the city) is required");
        return problems;
    }

    IEnumerable<string> TemplateProblems(JsonObject result)
    {
        var recommended = result["recommended"]!.AsArray().Select(r => r!).ToList();
        foreach (var (item, i) in recommended.Select((r, i) => (r, i)))
        {
            if (!templates.Contains((string)item["template_id"]!))
                yield return $"/recommended/{i}/template_id: '{(string)item["template_id"]!}' is not in the template catalogue";
            if ((int)item["rank"]! != i + 1)
                yield return $"/recommended/{i}/rank: must be {i + 1}";
        }
        if (recommended.Select(r => (string)r["template_id"]!).Distinct().Count() != recommended.Count)
            yield return "/recommended: the same template appears twice";
        if (recommended.Zip(recommended.Skip(1)).Any(p => (double)p.First["score"]! < (double)p.Second["score"]!))
            yield return "/recommended: must be sorted by decreasing score";
    }
}
