using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

[Collection(nameof(SectionAgents))]
public sealed class SeoTests : IDisposable
{
    readonly SectionAgents agents = new();

    public void Dispose() => agents.Dispose();

    async Task<JsonObject> Seo(BusinessProfile profile, string language = "fr") =>
        (await agents.Write(Profiles.Job(SectionNames.SeoOptimization, profile, language))).Result;

    public static TheoryData<string, string> ProfilesAndALongName()
    {
        var data = Profiles.All;
        data.Add("LongName", "fr");
        return data;
    }

    static BusinessProfile Named(string profile) => profile == "LongName"
        ? Profiles.DakarDemo with { BusinessName = "Boulangerie Pâtisserie Traiteur Artisanale et Familiale des Quartiers Mermoz Sacré-Cœur Point E de Dakar" }
        : Profiles.Named(profile);

    [Theory]
    [MemberData(nameof(ProfilesAndALongName))]
    public async Task Title_and_meta_description_fit_in_search_results(string profile, string language)
    {
        var seo = await Seo(Named(profile), language);

        Assert.InRange(((string)seo["title"]!).Length, 10, 60);
        Assert.InRange(((string)seo["meta_description"]!).Length, 50, 160);
        Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", (string)seo["url_slug"]!);
    }

    [Theory]
    [MemberData(nameof(Profiles.All), MemberType = typeof(Profiles))]
    public async Task Json_ld_is_a_local_business_of_the_briefs_city_safe_to_embed_in_a_page(string profile, string language)
    {
        var business = Profiles.Named(profile);
        var seo = await Seo(business, language);

        var jsonLd = (string)seo["json_ld"]!;
        using var document = JsonDocument.Parse(jsonLd);
        var root = document.RootElement;
        Assert.Equal("https://schema.org", root.GetProperty("@context").GetString());
        Assert.Contains("LocalBusiness", root.GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(business.BusinessName, root.GetProperty("name").GetString());
        Assert.Equal(business.Location.City, root.GetProperty("address").GetProperty("addressLocality").GetString());
        Assert.DoesNotContain("</", jsonLd);
    }

    [Fact]
    public async Task Local_keywords_name_the_city_and_the_neighbourhoods_the_entrepreneur_mentioned()
    {
        var dakar = await Seo(Profiles.DakarBakery);
        var demo = await Seo(Profiles.DakarDemo);
        var abidjan = await Seo(Profiles.AbidjanTailor);

        Assert.Contains("boulangerie dakar", Strings(dakar["local_keywords"]));
        Assert.Contains("boulangerie plateau", Strings(dakar["local_keywords"]));
        Assert.Contains("boulangerie médina", Strings(dakar["local_keywords"]));
        Assert.Contains("boulangerie sénégal", Strings(dakar["local_keywords"]));
        Assert.Equal(["Mermoz", "Sacré-Cœur", "Point E"], Strings(demo["google_business_profile"]!["service_area"]));
        Assert.Contains("couture cocody", Strings(abidjan["local_keywords"]));
        Assert.Equal("Boulangerie", (string)demo["google_business_profile"]!["primary_category"]!);
        Assert.Contains("Dakar", (string)demo["nap"]!["address"]!);
        Assert.Contains(Strings(demo["local_seo_checklist"]), item => item.Contains("NAP"));
    }

    static List<string> Strings(JsonNode? array) => array!.AsArray().Select(s => (string)s!).ToList();
}
