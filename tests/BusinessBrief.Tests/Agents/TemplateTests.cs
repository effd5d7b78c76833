using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

[Collection(nameof(SectionAgents))]
public sealed class TemplateTests : IDisposable
{
    static readonly JsonArray Catalogue =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Catalogue", "templates.json")))!["templates"]!.AsArray();

    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    static JsonNode Template(string id) => Catalogue.Single(t => (string)t!["id"]! == id)!;

    [Fact]
    public void The_shipped_catalogue_offers_at_least_twelve_distinct_templates()
    {
        Assert.True(Catalogue.Count >= 12);
        Assert.Equal(Catalogue.Count, Catalogue.Select(t => (string)t!["id"]!).Distinct().Count());
        Assert.All(Catalogue, t =>
        {
            Assert.NotEmpty(t!["sectors"]!.AsArray());
            Assert.NotEmpty(t["pages"]!.AsArray());
            Assert.NotNull((string?)t["style"]);
            Assert.NotNull((string?)t["palette_affinity"]);
        });
    }

    [Theory]
    [MemberData(nameof(Profiles.All), MemberType = typeof(Profiles))]
    public async Task The_top_three_exist_in_the_catalogue_ranked_by_score_with_reasons(string profile, string language)
    {
        var selection = (await agents.Write(Profiles.Job(SectionNames.TemplateSelection, Profiles.Named(profile), language))).Result;

        var recommended = selection["recommended"]!.AsArray();
        Assert.Equal(3, recommended.Count);
        Assert.All(recommended, r => Template((string)r!["template_id"]!));
        Assert.Equal([1, 2, 3], recommended.Select(r => (int)r!["rank"]!));
        Assert.True(recommended.Zip(recommended.Skip(1)).All(p => (double)p.First!["score"]! >= (double)p.Second!["score"]!));
        Assert.All(recommended, r => Assert.NotEmpty(r!["reasons"]!.AsArray()));
    }

    [Fact]
    public async Task A_bakery_gets_a_bakery_template_with_reasons_in_its_language()
    {
        var french = (await agents.Write(Profiles.Job(SectionNames.TemplateSelection, Profiles.DakarDemo))).Result;
        var english = (await agents.Write(Profiles.Job(SectionNames.TemplateSelection, Profiles.MontrealCafe, "en"))).Result;

        var top = french["recommended"]![0]!;
        Assert.Contains("bakery", Template((string)top["template_id"]!)["sectors"]!.AsArray().Select(s => (string)s!));
        Assert.StartsWith("Conçu pour votre secteur", (string)top["reasons"]![0]!);
        Assert.StartsWith("Designed for your sector", (string)english["recommended"]![0]!["reasons"]![0]!);
    }

    [Fact]
    public async Task Asking_for_a_modern_look_puts_a_modern_template_first()
    {
        var before = (await agents.Write(Profiles.Job(SectionNames.TemplateSelection, Profiles.DakarDemo))).Result;
        var after = (await agents.Write(Profiles.Job(SectionNames.TemplateSelection, Profiles.DakarDemo, revision: 2, feedback: "plus moderne, couleurs chaudes"))).Result;

        Assert.NotEqual("modern", (string)Template((string)before["recommended"]![0]!["template_id"]!)["style"]!);
        Assert.Equal("modern", (string)Template((string)after["recommended"]![0]!["template_id"]!)["style"]!);
        Assert.Contains(after["recommended"]![0]!["reasons"]!.AsArray(), r => ((string)r!).Contains("comme vous l'avez demandé"));
    }
}
