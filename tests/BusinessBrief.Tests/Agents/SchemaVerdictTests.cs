using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

/// <summary>
/// The agents' compiled schema verdict against JsonSchema.Net, the reference: it must accept the offline results
/// (or every result pays JsonSchema.Net again) and never accept what JsonSchema.Net rejects.
/// </summary>
[Collection(nameof(SectionAgents))]
public sealed class SchemaVerdictTests : IDisposable
{
    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    static SchemaVerdict VerdictOf(string section) =>
        new(JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", $"{section}.schema.json"))).RootElement);

    [Theory]
    [MemberData(nameof(OfflineSectionTests.EverySectionOfEveryProfile), MemberType = typeof(OfflineSectionTests))]
    public async Task Every_offline_result_is_accepted_without_asking_JsonSchema_Net(string profile, string language, string section)
    {
        var draft = await agents.Write(Profiles.Job(section, Profiles.Named(profile), language));

        Assert.True(VerdictOf(section).Holds(draft.Result));
    }

    public static TheoryData<string> Sections => new(SectionNames.All);

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task Broken_results_get_the_same_verdict_as_from_JsonSchema_Net(string section)
    {
        var verdict = VerdictOf(section);
        var valid = (await agents.Write(Profiles.Job(section, Profiles.DakarDemo))).Result;

        var broken = Breakages(valid).ToList();
        var disagreements = broken
            .Where(b => verdict.Holds(b.Result) != (Results.SchemaErrors(section, b.Result).Count == 0))
            .Select(b => b.What)
            .ToList();

        Assert.True(broken.Count > 50, $"only {broken.Count} broken variants");
        Assert.Contains(broken, b => !verdict.Holds(b.Result));
        Assert.Empty(disagreements);
    }

    [Theory]
    [InlineData("""{ "uniqueItems": true }""")]
    [InlineData("""{ "type": "object", "patternProperties": { "^x": { "type": "string" } } }""")]
    [InlineData("""{ "$ref": "https://example.com/other.json" }""")]
    public void A_schema_keyword_it_does_not_know_stops_the_agents_at_start_up(string schema)
    {
        Assert.Throws<NotSupportedException>(() => new SchemaVerdict(JsonDocument.Parse(schema).RootElement));
    }

    /// <summary>
    /// The result with one thing wrong or out of range, for every node: a property removed or added, a value of
    /// another type, a string empty or very long, a number out of range, an array emptied or grown.
    /// </summary>
    static IEnumerable<(string What, JsonObject Result)> Breakages(JsonObject valid)
    {
        var paths = new List<(string Path, JsonNode? Node)>();
        Collect(valid, "", paths);
        foreach (var (path, node) in paths)
        {
            IEnumerable<(string, Func<JsonNode?, JsonNode?>)> changes = node switch
            {
                JsonObject o => o.Select(p => p.Key).ToList()
                    .Select(key => ($"without {key}", (Func<JsonNode?, JsonNode?>)(n => { n!.AsObject().Remove(key); return n; })))
                    .Append(("with an unknown property", n => { n!.AsObject()["not_in_the_schema"] = "x"; return n; })),
                JsonArray a =>
                [
                    ("emptied", _ => new JsonArray()),
                    ("grown to 12 items", n => new JsonArray(Enumerable.Repeat(n!.AsArray().FirstOrDefault(), 12).Select(i => i?.DeepClone()).ToArray())),
                    ("a string instead", _ => "x"),
                ],
                JsonValue v when v.GetValueKind() == JsonValueKind.String =>
                [
                    ("empty", _ => ""),
                    ("one letter", _ => "x"),
                    ("3,000 letters", _ => new string('x', 3000)),
                    ("accented text of 2,500 letters", _ => string.Concat(Enumerable.Repeat("e\u0301", 2500))),
                    ("a number instead", _ => 7),
                    ("null instead", _ => null),
                ],
                JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
                [
                    ("negative", _ => -1),
                    ("above one", _ => 1.5),
                    ("huge", _ => 1e9),
                    ("a string instead", _ => "1"),
                ],
                _ => [("a string instead", _ => "x")],
            };
            foreach (var (what, change) in changes)
            {
                var copy = valid.DeepClone().AsObject();
                Replace(copy, path, change);
                yield return ($"{(path.Length > 0 ? path : "/")} {what}", copy);
            }
        }
    }

    static void Collect(JsonNode? node, string path, List<(string, JsonNode?)> paths)
    {
        paths.Add((path, node));
        if (node is JsonObject o)
            foreach (var (key, child) in o)
                Collect(child, $"{path}/{key}", paths);
        else if (node is JsonArray a)
            for (var i = 0; i < a.Count; i++)
                Collect(a[i], $"{path}/{i}", paths);
    }

    static void Replace(JsonObject root, string path, Func<JsonNode?, JsonNode?> change)
    {
        if (path.Length == 0)
        {
            change(root);
            return;
        }
        var tokens = path[1..].Split('/');
        JsonNode parent = root;
        foreach (var token in tokens[..^1])
            parent = parent is JsonArray array ? array[int.Parse(token)]! : parent[token]!;
        var last = tokens[^1];
        if (parent is JsonArray list)
        {
            var at = int.Parse(last);
            var changed = change(list[at]);
            list[at] = changed?.Parent is null ? changed : changed.DeepClone();
        }
        else
        {
            var changed = change(parent[last]);
            parent[last] = changed?.Parent is null ? changed : changed.DeepClone();
        }
    }
}
