using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

/// <summary>The offline agents of the dependent sections write from the results of the sections they build on.</summary>
[Collection(nameof(SectionAgents))]
public sealed class SectionInputsTests : IDisposable
{
    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    async Task<JsonObject> Write(string section, int revision = 1, string? feedback = null, params SectionInput[] inputs) =>
        (await agents.Write(Profiles.Job(section, Profiles.DakarDemo, revision: revision, feedback: feedback) with { Inputs = inputs })).Result;

    static SectionInput Input(string section, JsonObject result, int revision = 1) =>
        new() { Section = section, Revision = revision, Result = JsonSerializer.SerializeToElement(result) };

    static List<string> Strings(JsonNode? array) => array!.AsArray().Select(k => (string)k!).ToList();

    [Fact]
    public async Task A_regenerated_market_research_leads_with_another_search_keyword()
    {
        var first = Strings((await Write(SectionNames.MarketResearch))["search_keywords"]);
        var second = Strings((await Write(SectionNames.MarketResearch, revision: 2))["search_keywords"]);

        Assert.Equal("boulangerie dakar", first[0]);
        Assert.NotEqual(first[0], second[0]);
        Assert.Equal(first.Order(), second.Order());
    }

    [Fact]
    public async Task Seo_leads_with_the_research_lead_keyword_and_takes_its_price_position()
    {
        var research = await Write(SectionNames.MarketResearch, revision: 2);
        research["pricing_positioning"]!["position"] = "premium";

        var seo = await Write(SectionNames.SeoOptimization, inputs: Input(SectionNames.MarketResearch, research, revision: 2));

        var lead = Strings(research["search_keywords"])[0];
        Assert.Equal(lead, Strings(seo["primary_keywords"])[0]);
        Assert.Contains(Strings(research["search_keywords"])[1], Strings(seo["secondary_keywords"]));
        Assert.Equal("$$$", JsonNode.Parse((string)seo["json_ld"]!)!["priceRange"]!.GetValue<string>());
        var builtOn = Assert.Single(seo["built_on"]!.AsArray())!;
        Assert.Equal((SectionNames.MarketResearch, 2, true),
            ((string)builtOn["section"]!, (int)builtOn["revision"]!, (bool)builtOn["used"]!));
        Assert.Empty(Results.SchemaErrors(SectionNames.SeoOptimization, seo));
    }

    [Fact]
    public async Task Website_copy_has_a_block_for_each_segment_the_research_found()
    {
        var research = await Write(SectionNames.MarketResearch);
        research["target_segments"]![0]!["name"] = "Étudiants de l'UCAD";

        var content = await Write(SectionNames.ContentGeneration, inputs: Input(SectionNames.MarketResearch, research));

        var audiences = content["audiences"]!.AsArray();
        Assert.Equal(Strings(new JsonArray(research["target_segments"]!.AsArray().Select(s => (JsonNode)JsonValue.Create((string)s!["name"]!)!).ToArray())),
            audiences.Select(a => (string)a!["segment"]!).ToList());
        Assert.Contains("étudiants de l'UCAD", (string)audiences[0]!["title"]!);
        Assert.Empty(Results.SchemaErrors(SectionNames.ContentGeneration, content));
    }

    [Fact]
    public async Task Template_selection_follows_the_palette_of_the_logo()
    {
        var coolLogo = await Write(SectionNames.LogoCreation, revision: 2, feedback: "des couleurs froides, du bleu");
        Assert.Equal("cool", (string)coolLogo["palette"]!["mood"]!);

        var fromProfile = await Write(SectionNames.TemplateSelection);
        var fromLogo = await Write(SectionNames.TemplateSelection, inputs: Input(SectionNames.LogoCreation, coolLogo, revision: 2));

        Assert.Equal("warm", (string)fromProfile["criteria"]!["palette"]!);
        Assert.Equal("cool", (string)fromLogo["criteria"]!["palette"]!);
        var primary = Results.Hex(coolLogo, "primary");
        Assert.All(fromLogo["recommended"]!.AsArray(), r => Assert.Contains(Strings(r!["reasons"]), reason => reason.Contains(primary)));
        Assert.Empty(Results.SchemaErrors(SectionNames.TemplateSelection, fromLogo));
    }

    [Fact]
    public async Task A_section_written_without_a_failed_input_says_why_and_is_less_sure()
    {
        var research = await Write(SectionNames.MarketResearch);
        var withResearch = await agents.Write(Profiles.Job(SectionNames.SeoOptimization, Profiles.DakarDemo) with
        {
            Inputs = [Input(SectionNames.MarketResearch, research)],
        });
        var withoutResearch = await agents.Write(Profiles.Job(SectionNames.SeoOptimization, Profiles.DakarDemo) with
        {
            Inputs = [new SectionInput { Section = SectionNames.MarketResearch, Revision = 1, Error = "no answer from the market_research agents within 300 s" }],
        });

        var builtOn = Assert.Single(withoutResearch.Result["built_on"]!.AsArray())!;
        Assert.False((bool)builtOn["used"]!);
        Assert.Contains("no answer from the market_research agents", (string)builtOn["note"]!);
        Assert.Equal(Math.Round(withResearch.Confidence - 0.10, 2), withoutResearch.Confidence);
        Assert.Equal("boulangerie dakar", Strings(withoutResearch.Result["primary_keywords"])[0]);
        Assert.Empty(Results.SchemaErrors(SectionNames.SeoOptimization, withoutResearch.Result));
    }
}
