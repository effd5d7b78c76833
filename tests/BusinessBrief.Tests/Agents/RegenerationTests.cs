using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

[Collection(nameof(SectionAgents))]
public sealed class RegenerationTests : IDisposable
{
    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    public static TheoryData<string> Sections() => new(SectionNames.All);

    async Task<(string First, string Regenerated)> FirstAndRegenerated(string section, string? feedback)
    {
        var first = await agents.Write(Profiles.Job(section, Profiles.DakarDemo));
        var regenerated = await agents.WriteJson(Profiles.Job(section, Profiles.DakarDemo, revision: 2, feedback: feedback,
            previousResult: JsonSerializer.SerializeToElement(first.Result)));
        return (JsonSerializer.Serialize(first.Result), regenerated);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task Regenerating_with_feedback_changes_the_section(string section)
    {
        var (first, regenerated) = await FirstAndRegenerated(section, "plus moderne, couleurs chaudes");

        Assert.NotEqual(first, regenerated);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task Regenerating_without_feedback_still_gives_another_version(string section)
    {
        var (first, regenerated) = await FirstAndRegenerated(section, feedback: null);

        Assert.NotEqual(first, regenerated);
    }

    [Fact]
    public async Task Asking_for_a_modern_tone_rewrites_the_copy_in_that_tone()
    {
        var first = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.DakarDemo))).Result;
        var modern = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.DakarDemo, revision: 2, feedback: "Un ton plus moderne s'il vous plaît"))).Result;

        Assert.Equal("warm", (string)first["tone"]!);
        Assert.Equal("modern", (string)modern["tone"]!);
        Assert.NotEqual((string)first["hero"]!["headline"]!, (string)modern["hero"]!["headline"]!);
        Assert.Equal(["Style plus moderne"], modern["feedback_applied"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task Feedback_the_offline_backend_cannot_follow_is_reported_as_such()
    {
        var analysis = (await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.DakarDemo, revision: 2, feedback: "couleurs chaudes"))).Result;

        var note = (string)analysis["feedback_applied"]![0]!;
        Assert.Contains("ne sait pas appliquer « couleurs chaudes »", note);
    }

    [Fact]
    public async Task Asking_for_shorter_texts_shortens_the_about_section()
    {
        var first = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.DakarDemo))).Result;
        var shorter = (await agents.Write(Profiles.Job(SectionNames.ContentGeneration, Profiles.DakarDemo, revision: 2, feedback: "des textes plus courts"))).Result;

        Assert.True(((string)shorter["about"]!["text"]!).Length < ((string)first["about"]!["text"]!).Length);
        Assert.True(shorter["services"]!.AsArray().Count <= first["services"]!.AsArray().Count);
    }
}
