using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

[Collection(nameof(SectionAgents))]
public sealed class OfflineSectionTests : IDisposable
{
    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    public static TheoryData<string, string, string> EverySectionOfEveryProfile()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Profiles.All)
            foreach (var section in SectionNames.All)
                data.Add((string)row[0], (string)row[1], section);
        return data;
    }

    [Theory]
    [MemberData(nameof(EverySectionOfEveryProfile))]
    public async Task Every_offline_result_matches_its_documented_schema(string profile, string language, string section)
    {
        var draft = await agents.Write(Profiles.Job(section, Profiles.Named(profile), language));

        Assert.Empty(Results.SchemaErrors(section, draft.Result));
        Assert.Equal("offline", draft.Backend);
        Assert.Equal(language, (string)draft.Result["language"]!);
        Assert.InRange(draft.Confidence, 0, 1);
        Assert.Equal(draft.Confidence, (double)draft.Result["confidence"]!);
    }

    [Theory]
    [MemberData(nameof(EverySectionOfEveryProfile))]
    public async Task The_same_job_gives_a_byte_identical_result_in_another_process_setup(string profile, string language, string section)
    {
        using var otherAgents = new SectionAgents();
        var job = Profiles.Job(section, Profiles.Named(profile), language, revision: 3, feedback: "plus moderne, couleurs chaudes");

        Assert.Equal(await agents.WriteJson(job), await otherAgents.WriteJson(job with { JobId = Guid.NewGuid() }));
    }

    [Fact]
    public async Task French_copy_keeps_punctuation_on_its_line_with_non_breaking_spaces()
    {
        var content = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.DakarDemo))).Result;

        var prose = Results.Strings(content).Select(s => s.Value).ToList();
        Assert.Contains(prose, p => p.Contains("\u00A0:"));
        Assert.All(prose, p => Assert.DoesNotMatch(@"[\p{L}\p{N}) ][:;!?](\s|$)", p));
        Assert.Contains("Sénégal", (string)content["contact"]!["text"]!);
    }

    [Fact]
    public async Task English_briefs_are_written_in_English_without_French_spacing()
    {
        var content = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.MontrealCafe, "en"))).Result;

        Assert.Equal("Find us", (string)content["contact"]!["title"]!);
        Assert.Contains(content["services"]!.AsArray(), s => (string)s!["name"]! == "Specialty coffee");
        Assert.All(Results.Strings(content), s => Assert.DoesNotContain("\u00A0:", s.Value));
    }

    [Fact]
    public async Task Richer_answers_give_more_confidence_and_unfollowable_feedback_less()
    {
        var sparse = Profiles.DakarBakery with { Vision = "Grandir.", Mission = "Vendre du pain.", Sector = "commerce de quartier" };

        var rich = await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.DakarDemo));
        var poor = await agents.Write(Profiles.Job(SectionNames.MarketResearch, sparse));
        var ignoredFeedback = await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.DakarDemo, revision: 2, feedback: "couleurs chaudes"));

        Assert.True(rich.Confidence > poor.Confidence, $"{rich.Confidence} vs {poor.Confidence}");
        Assert.Equal(Math.Round(rich.Confidence - 0.10, 2), ignoredFeedback.Confidence);
    }

    [Fact]
    public async Task Website_copy_is_fitted_to_the_sector_the_differentiation_and_the_city()
    {
        var content = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.DakarDemo))).Result;

        var services = content["services"]!.AsArray().Select(s => (string)s!["name"]!).ToList();
        Assert.InRange(services.Count, 3, 6);
        Assert.Contains("Viennoiseries", services);
        Assert.Contains("Livraison", services);
        Assert.Contains(content["why_us"]!.AsArray(), w => ((string)w!["text"]!).Contains("feu de bois"));
        Assert.Equal("Dakar", (string)content["contact"]!["city"]!);
        Assert.Equal(["Mermoz", "Sacré-Cœur", "Point E"], content["contact"]!["area_served"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Commander sur WhatsApp", (string)content["hero"]!["call_to_action"]!);
    }
}
