using System.Text.Json.Nodes;
using System.Xml.Linq;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

[Collection(nameof(SectionAgents))]
public sealed class LogoTests : IDisposable
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    async Task<JsonObject> Logo(string profile, string language = "fr", int revision = 1, string? feedback = null) =>
        (await agents.Write(Profiles.Job(SectionNames.LogoCreation, Profiles.Named(profile), language, revision, feedback))).Result;

    async Task<JsonObject> Logo(BusinessProfile profile) =>
        (await agents.Write(Profiles.Job(SectionNames.LogoCreation, profile))).Result;

    static IEnumerable<XDocument> Drawings(JsonObject logo) =>
        logo["concepts"]!.AsArray().Select(c => XDocument.Parse((string)c!["svg"]!));

    [Theory]
    [MemberData(nameof(Profiles.All), MemberType = typeof(Profiles))]
    public async Task Every_concept_is_a_standalone_svg_with_a_viewbox(string profile, string language)
    {
        var logo = await Logo(profile, language);

        Assert.True(logo["concepts"]!.AsArray().Count >= 3);
        Assert.All(Drawings(logo), svg =>
        {
            Assert.Equal(Svg + "svg", svg.Root!.Name);
            var viewBox = svg.Root.Attribute("viewBox")!.Value.Split(' ').Select(double.Parse).ToArray();
            Assert.Equal(4, viewBox.Length);
            Assert.True(viewBox[2] > 0 && viewBox[3] > 0);
            Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "image" or "use" or "foreignObject" or "a");
            Assert.DoesNotContain(svg.Descendants().Attributes(), a => a.Name.LocalName == "href" || a.Value.Contains("url(", StringComparison.Ordinal));
        });
    }

    [Theory]
    [MemberData(nameof(Profiles.All), MemberType = typeof(Profiles))]
    public async Task Every_offline_concept_passes_the_allow_list_the_models_logos_are_held_to(string profile, string language)
    {
        var logo = await Logo(profile, language);

        Assert.All(logo["concepts"]!.AsArray(), c => Assert.Empty(LogoSvg.Problems((string)c!["svg"]!)));
    }

    [Theory]
    [InlineData("</text><script>alert(1)</script>")]
    [InlineData("Café & Co")]
    [InlineData("L'Atelier \"Chez Awa\" <Dakar>")]
    public async Task A_business_name_that_looks_like_markup_is_drawn_as_text(string name)
    {
        var logo = await Logo(Profiles.DakarBakery with { BusinessName = name });

        Assert.All(Drawings(logo), svg =>
        {
            Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == name);
            Assert.Equal(name, svg.Root!.Element(Svg + "title")!.Value);
            Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "script");
        });
        Assert.All(logo["concepts"]!.AsArray(), c => Assert.DoesNotContain("<script", (string)c!["svg"]!));
    }

    [Theory]
    [MemberData(nameof(Profiles.All), MemberType = typeof(Profiles))]
    public async Task Every_declared_text_and_background_pair_meets_WCAG_AA(string profile, string language)
    {
        var logo = await Logo(profile, language);

        var pairs = logo["palette"]!["contrast_pairs"]!.AsArray();
        Assert.Contains(pairs, p => (string)p!["foreground"]! == "text" && (string)p["background"]! == "background");
        Assert.All(pairs, pair =>
        {
            var ratio = Results.Contrast(Results.Hex(logo, (string)pair!["foreground"]!), Results.Hex(logo, (string)pair["background"]!));
            Assert.True(ratio >= 4.5, $"{pair["foreground"]} on {pair["background"]}: {ratio:0.00}");
            Assert.Equal(ratio, (double)pair["ratio"]!, 0.01);
        });
    }

    [Fact]
    public async Task Asking_for_warm_colours_turns_a_cool_palette_warm_and_the_reverse()
    {
        var tailor = await Logo(nameof(Profiles.AbidjanTailor));
        var warmer = await Logo(nameof(Profiles.AbidjanTailor), revision: 2, feedback: "plus moderne, couleurs chaudes");
        var bakery = await Logo(nameof(Profiles.DakarDemo));
        var cooler = await Logo(nameof(Profiles.DakarDemo), revision: 2, feedback: "des couleurs plus froides, bleu");

        Assert.False(Results.IsWarm(Results.Hue(Results.Hex(tailor, "primary"))));
        Assert.True(Results.IsWarm(Results.Hue(Results.Hex(warmer, "primary"))), Results.Hex(warmer, "primary"));
        Assert.Equal("warm", (string)warmer["palette"]!["mood"]!);
        Assert.Contains("Couleurs plus chaudes", warmer["feedback_applied"]!.AsArray().Select(n => (string)n!));

        Assert.True(Results.IsWarm(Results.Hue(Results.Hex(bakery, "primary"))));
        Assert.InRange(Results.Hue(Results.Hex(cooler, "primary")), 170, 250);
    }

    [Fact]
    public async Task Different_businesses_get_visibly_different_logos()
    {
        BusinessProfile[] businesses =
        [
            Profiles.DakarBakery,
            Profiles.DakarBakery with { BusinessName = "Boulangerie Ndèye" },
            Profiles.DakarBakery with { BusinessName = "Le Fournil de Yoff" },
            Profiles.AbidjanTailor,
            Profiles.MontrealCafe,
        ];

        // What a person sees apart from the name itself: shapes and colours.
        var looks = new List<string>();
        foreach (var business in businesses)
        {
            var logo = await Logo(business);
            looks.Add(string.Join("|", Drawings(logo).Select(svg =>
            {
                svg.Descendants(Svg + "text").Remove();
                svg.Descendants(Svg + "title").Remove();
                svg.Root!.Attribute("aria-label")!.Remove();
                return svg.ToString();
            })));
        }

        Assert.Equal(businesses.Length, looks.Distinct().Count());
    }
}
