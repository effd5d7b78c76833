using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

[Collection(nameof(SectionAgents))]
public sealed class MarketResearchTests : IDisposable
{
    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    static string Answer(BusinessProfile profile, string source) => source switch
    {
        "business_name" => profile.BusinessName,
        "vision" => profile.Vision,
        "mission" => profile.Mission,
        "target_audience" => profile.TargetAudience,
        "differentiation" => profile.Differentiation,
        "value_proposition" => profile.ValueProposition,
        "sector" => profile.Sector,
        _ => $"{profile.Location.City}, {profile.Location.Country}",
    };

    [Theory]
    [MemberData(nameof(Profiles.All), MemberType = typeof(Profiles))]
    public async Task Every_point_quotes_the_answer_it_comes_from(string profile, string language)
    {
        var business = Profiles.Named(profile);
        var analysis = (await agents.Write(Profiles.Job(SectionNames.MarketResearch, business, language))).Result;

        var swot = analysis["swot"]!.AsObject().SelectMany(q => q.Value!.AsArray());
        var grounded = swot.Concat(analysis["opportunities"]!.AsArray()).Concat(analysis["risks"]!.AsArray())
            .Append(analysis["pricing_positioning"]).ToList();
        Assert.All(grounded, point =>
        {
            var quote = ((string)point!["quote"]!).TrimEnd('…');
            Assert.Contains(quote, Answer(business, (string)point["source"]!));
        });
        Assert.All(analysis["swot"]!.AsObject(), quadrant => Assert.NotEmpty(quadrant.Value!.AsArray()));
    }

    [Fact]
    public async Task Segments_come_from_the_audience_and_business_buyers_are_told_apart()
    {
        var analysis = (await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.DakarDemo))).Result;

        var segments = analysis["target_segments"]!.AsArray();
        Assert.Equal(2, segments.Count);
        Assert.Equal(["b2c", "b2b"], segments.Select(s => (string)s!["kind"]!));
        Assert.All(segments, s => Assert.Contains((string)s!["quote"]!, Profiles.DakarDemo.TargetAudience));
        Assert.StartsWith("Familles et jeunes actifs de Dakar", (string)segments[0]!["name"]!);
    }

    [Fact]
    public async Task Competitors_are_types_of_the_sector_in_the_city_and_pricing_follows_the_answers()
    {
        var bakery = (await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.DakarDemo))).Result;
        var tailor = (await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.AbidjanTailor))).Result;

        Assert.Contains(bakery["competitor_types"]!.AsArray(), c => ((string)c!["type"]!).Contains("Dakar"));
        Assert.Equal("accessible", (string)bakery["pricing_positioning"]!["position"]!);
        Assert.Equal("premium", (string)tailor["pricing_positioning"]!["position"]!);
    }

    [Fact]
    public async Task The_analysis_says_it_used_no_external_data()
    {
        var analysis = (await agents.Write(Profiles.Job(SectionNames.MarketResearch, Profiles.DakarDemo))).Result;

        Assert.False((bool)analysis["provenance"]!["external_data"]!);
        Assert.Contains("aucune donnée externe", (string)analysis["provenance"]!["note"]!);
        Assert.InRange(analysis["next_steps"]!.AsArray().Count, 3, 8);
    }
}
