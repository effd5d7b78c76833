using System.Text.Json.Nodes;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

/// <summary>
/// A prompt-injected model answers hostile SVG, JSON-LD that breaks out of its script element, or runaway text:
/// each answer is sent back, and the section then fails with a fixed reason that carries none of it.
/// </summary>
[Collection(nameof(SectionAgents))]
public sealed class UntrustedLlmOutputTests : IAsyncLifetime
{
    const string Open = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">""";

    FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.Start();

    public async Task DisposeAsync() => await server.DisposeAsync();

    static Task<JsonObject> ValidAnswer(string section) => LlmBackendTests.ValidAnswer(section, Profiles.DakarDemo);

    public static TheoryData<string> HostileSvgs => new()
    {
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" onload="alert('evil')"><rect width="10" height="10"/></svg>""",
        $"""{Open}<script>alert('evil')</script></svg>""",
        $"""{Open}<foreignObject width="100" height="100"><div xmlns="http://www.w3.org/1999/xhtml">evil</div></foreignObject></svg>""",
        $"""{Open}<linearGradient id="g" href="javascript:alert('evil')"/><rect width="10" height="10" fill="url(#g)"/></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100"><linearGradient id="g" xlink:href="http://evil/x.svg"/></svg>""",
        $"""{Open}<rect width="10" height="10" fill="url(http://evil/x.svg#p)"/></svg>""",
        $"""{Open}<style>@import url(http://evil/x.css);</style></svg>""",
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" style="background:image-set('https://evil/t' 1x)"><rect width="10" height="10"/></svg>""",
        Open + """<style>body { display: none }</style><rect width="10" height="10"/></svg>""",
        $"""{Open}<rect width="10" height="10" fill="image-set('https://evil/t' 1x)"/></svg>""",
        """<!DOCTYPE svg [<!ENTITY a "evilevilevil"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><text>&c;</text></svg>""",
        $"""{Open}{string.Concat(Enumerable.Repeat("""<path d="M0 0 L100 100 L0 100 Z" fill="#A0522D"/>""", 500))}<text>evil</text></svg>""",
    };

    [Theory]
    [MemberData(nameof(HostileSvgs))]
    public void A_hostile_svg_is_outside_the_logo_allow_list(string svg)
    {
        Assert.NotEmpty(LogoSvg.Problems(svg));
    }

    [Theory]
    [MemberData(nameof(HostileSvgs))]
    public async Task A_logo_answer_with_a_hostile_svg_fails_the_section_with_the_fixed_reason(string svg)
    {
        var answer = await ValidAnswer(SectionNames.LogoCreation);
        answer["concepts"]![0]!["svg"] = svg;

        await FailsWithTheFixedReason(SectionNames.LogoCreation, answer);
    }

    [Fact]
    public void A_drawing_within_the_allow_list_passes_it()
    {
        var svg = $"""{Open}<title>Teranga</title><defs><linearGradient id="warm"><stop offset="0" stop-color="#A0522D"/></linearGradient></defs><g transform="scale(2)"><circle cx="20" cy="20" r="10" fill="url(#warm)" stroke="#000"/><text x="5" y="40" font-family="Poppins">Teranga &amp; Co</text></g></svg>""";

        Assert.Empty(LogoSvg.Problems(svg));
    }

    public static TheoryData<string, string, string> HostileSeoFields => new()
    {
        { "json_ld", """{"@context":"https://schema.org","@type":"LocalBusiness","name":"Teranga","address":{"addressLocality":"Dakar"}}</script><script>alert('evil')</script>""", "evil" },
        { "meta_description", new string('e', 1_000_000), "eeeeeeeeee" },
        { "title", "evil " + new string('x', 5_000), "evil" },
    };

    [Theory]
    [MemberData(nameof(HostileSeoFields))]
    public async Task An_seo_answer_with_a_hostile_or_runaway_field_fails_the_section_with_the_fixed_reason(string field, string value, string marker)
    {
        var answer = await ValidAnswer(SectionNames.SeoOptimization);
        answer[field] = value;

        var failed = await FailsWithTheFixedReason(SectionNames.SeoOptimization, answer);

        Assert.DoesNotContain(marker, failed.Reason);
    }

    [Fact]
    public async Task A_valid_json_ld_comes_back_escaped_for_its_script_element_and_means_the_same()
    {
        var answer = await ValidAnswer(SectionNames.SeoOptimization);
        var jsonLd = JsonNode.Parse((string)answer["json_ld"]!)!;
        jsonLd["name"] = "Teranga </script><script>alert(1)</script> & Co";
        answer["json_ld"] = jsonLd.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("</script>", (string)answer["json_ld"]!);
        server.ThenAnswer(answer);
        using var agents = new SectionAgents(server.SettingsFor(SectionNames.SeoOptimization));

        var draft = await agents.Write(Profiles.Job(SectionNames.SeoOptimization, Profiles.DakarDemo));

        var written = (string)draft.Result["json_ld"]!;
        Assert.Contains(@"Teranga \u003C/script\u003E\u003Cscript\u003Ealert(1)\u003C/script\u003E \u0026 Co", written);
        Assert.DoesNotContain("<", written);
        Assert.True(JsonNode.DeepEquals(jsonLd, JsonNode.Parse(written)));
    }

    [Fact]
    public async Task A_provider_error_fails_the_section_without_the_providers_words()
    {
        const string secret = "sk-live-4f9a2c Internal error at db01.internal: prompt was 'Boulangerie Teranga'";
        for (var call = 0; call < 4; call++)
            server.ThenFail(500, secret);
        await using var worker = await AgentsWorker.Start(server.SettingsFor(SectionNames.SeoOptimization, maxAttempts: 1));

        var failed = await worker.Failure(Profiles.Job(SectionNames.SeoOptimization, Profiles.DakarDemo));

        Assert.Equal(4, server.Requests.Count);
        Assert.Equal("the language model provider failed (1 attempt)", failed.Reason);
        Assert.DoesNotContain("sk-live", failed.Reason);
    }

    async Task<SubAgentFailed> FailsWithTheFixedReason(string section, JsonObject hostile)
    {
        server.ThenAnswer(hostile).ThenAnswer(hostile).ThenAnswer(hostile);
        await using var worker = await AgentsWorker.Start(server.SettingsFor(section));

        var failed = await worker.Failure(Profiles.Job(section, Profiles.DakarDemo));

        Assert.Equal(3, server.Requests.Count);
        Assert.StartsWith("Your answer was rejected:", FakeOpenAiServer.Messages(server.Requests.Last())[3]);
        Assert.Equal($"{LlmSectionWriter.RejectedReason}, 3 times (1 attempt)", failed.Reason);
        Assert.DoesNotContain("evil", failed.Reason);
        Assert.DoesNotContain("<", failed.Reason);
        return failed;
    }
}
