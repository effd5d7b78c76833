using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>
/// The preview page in a real headless Chromium (Debian's package; <c>./bb test</c> installs it), served by an API
/// instance on a real port next to the brief system, on the same broker and Redis.
/// </summary>
[Collection(BriefSystemCollection.Name)]
public class PreviewPageTests(BriefSystemFixture system) : IAsyncLifetime
{
    const string Chromium = "/usr/bin/chromium";
    WebApplicationFactory<Program> api = null!;
    IPlaywright playwright = null!;
    IBrowser browser = null!;
    string baseUrl = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: `./bb test` installs it (apt-get install chromium).");
        api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("ConnectionStrings:rabbitmq", TestInfrastructure.RabbitMqConnectionString(system.VirtualHost));
            web.UseSetting("ConnectionStrings:redis", TestInfrastructure.RedisConnectionString);
            web.UseSetting("BriefStorage:KeyPrefix", system.KeyPrefix);
            // Outranks the API's appsettings.json (localhost:8080, which ./bb up may be using).
            web.UseSetting("Urls", "http://127.0.0.1:0");
            web.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            // The browser may keep idle connections open: stopping need not wait for them.
            web.ConfigureServices(s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        });
        api.UseKestrel();
        api.StartServer();
        baseUrl = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    public async Task DisposeAsync()
    {
        await browser.CloseAsync();
        await browser.DisposeAsync();
        playwright.Dispose();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task The_owner_sees_the_logo_palette_website_copy_search_preview_and_templates_of_a_ready_brief()
    {
        var briefId = await ReadyBrief("fatou", BriefApiClient.DakarRequest("Boulangerie Teranga"));
        var page = await SignedInPage("fatou", briefId, width: 1280, height: 900);

        var response = await page.GotoAsync($"{baseUrl}/briefs/{briefId}");

        Assert.Equal(200, response!.Status);
        Assert.Equal("fr", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Boulangerie Teranga", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("Prêt pour le site", await page.Locator(".badge").InnerTextAsync());
        var logo = page.Locator("#logo-creation img").First;
        Assert.True(await logo.IsVisibleAsync());
        Assert.True(await logo.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the SVG logo did not decode");
        Assert.True(await page.Locator(".palette .swatch").CountAsync() > 0);
        Assert.Contains("Boulangerie Teranga", await page.Locator("#content-generation").InnerTextAsync());
        Assert.Contains("Dakar", await page.Locator(".serp-title").InnerTextAsync());
        Assert.True(await page.Locator(".serp-description").IsVisibleAsync());
        Assert.True(await page.Locator(".templates > li").CountAsync() is > 0 and <= 3);
        Assert.Matches(@"^Coût 5 tâches, [\d,]+ m?s$", Spaced(await page.Locator(".hero .cost").InnerTextAsync()));
        foreach (var section in SectionNames.All)
            Assert.Matches(@"^Coût : hors ligne, 1 tentative, [\d,]+ m?s$", Spaced(await Card(page, section).Locator(".cost").InnerTextAsync()));
        Assert.Equal("Écrit à partir de l'étude de marché de la révision 1.", await Card(page, SectionNames.SeoOptimization).Locator(".provenance").InnerTextAsync());
        Assert.Equal("Écrit à partir du logo de la révision 1.", await Card(page, SectionNames.TemplateSelection).Locator(".provenance").InnerTextAsync());
        Assert.Equal(0, await page.Locator(".stale").CountAsync());

        // The long market analysis waits behind one click.
        var research = page.Locator("#market-research");
        Assert.Contains("Boulangerie Teranga", await research.Locator("p").First.InnerTextAsync());
        Assert.False(await research.Locator("dl").First.IsVisibleAsync());
        await research.GetByText("Analyse complète").ClickAsync();
        Assert.True(await research.Locator("dl").First.IsVisibleAsync());
    }

    [Fact]
    public async Task Sections_written_from_an_old_market_research_are_marked_to_refresh_on_the_page_and_in_the_export_until_rewritten()
    {
        var client = system.ClientFor("aissatou");
        var briefId = await ReadyBrief("aissatou", BriefApiClient.DakarRequest("Boulangerie Teranga"));
        var page = await SignedInPage("aissatou", briefId, width: 1280, height: 900);

        await Regenerate(client, briefId, SectionNames.MarketResearch, cascade: false);
        await AssertMarkedToRefresh(page, client, briefId, SectionNames.ContentGeneration, SectionNames.SeoOptimization);
        Assert.Equal("Écrit à partir de l'étude de marché de la révision 1.", await Card(page, SectionNames.SeoOptimization).Locator(".provenance").InnerTextAsync());
        // The README's screenshot: a ready brief with everything the page shows, two sections to refresh included.
        await page.ScreenshotAsync(new() { Path = RepositoryFiles.DocsArtefact("images/preview.png"), FullPage = true });

        await Regenerate(client, briefId, SectionNames.SeoOptimization, cascade: false);
        await AssertMarkedToRefresh(page, client, briefId, SectionNames.ContentGeneration);

        await Regenerate(client, briefId, SectionNames.MarketResearch, cascade: true);
        await AssertMarkedToRefresh(page, client, briefId);
        Assert.Equal("Écrit à partir de l'étude de marché de la révision 4.", await Card(page, SectionNames.ContentGeneration).Locator(".provenance").InnerTextAsync());
        var markdown = await client.GetStringAsync($"{BriefApiClient.BasePath}/{briefId}/export?format=markdown");
        Assert.Contains("_Écrit à partir de l'étude de marché de la révision 4._", MarkdownSection(markdown, SectionNames.SeoOptimization));
        Assert.DoesNotContain("Built On", markdown);
    }

    [Fact]
    public async Task A_cancelled_brief_says_which_sections_were_cancelled_and_what_the_language_model_cost_on_the_page_and_in_the_export()
    {
        var briefId = await CancelledBrief("aminata", "fr");
        var page = await SignedInPage("aminata", briefId, width: 1280, height: 900);

        await page.GotoAsync($"{baseUrl}/briefs/{briefId}");

        Assert.Equal("Annulé", await page.Locator(".hero .badge").InnerTextAsync());
        Assert.Equal("Coût 1 tâche (2 tentatives), 2,3 s, 1 840 + 912 jetons", Spaced(await page.Locator(".hero .cost").InnerTextAsync()));
        Assert.Equal("Coût : gpt-4o-mini, 2 tentatives, 2,3 s, 1 840 + 912 jetons",
            Spaced(await Card(page, SectionNames.MarketResearch).Locator(".cost").InnerTextAsync()));
        foreach (var section in SectionNames.All.Where(s => s != SectionNames.MarketResearch))
            Assert.Equal("Génération annulée avant la fin de cette section. Vous pouvez la régénérer.",
                await Card(page, section).Locator(".notice").InnerTextAsync());
        Assert.Equal(0, await Card(page, SectionNames.MarketResearch).Locator(".notice").CountAsync());

        var markdown = Spaced(await system.ClientFor("aminata").GetStringAsync($"{BriefApiClient.BasePath}/{briefId}/export?format=markdown"));
        Assert.Contains(@"Statut : **Annulé** · révision 1 · complétude 20 % · confiance 80 % · coût 1 tâche \(2 tentatives\), 2,3 s, 1 840 \+ 912 jetons", markdown);
        Assert.Contains(@"_Coût : gpt-4o-mini, 2 tentatives, 2,3 s, 1 840 \+ 912 jetons_", MarkdownSection(markdown, SectionNames.MarketResearch));
        foreach (var section in SectionNames.All.Where(s => s != SectionNames.MarketResearch))
            Assert.Contains("> Génération annulée avant la fin de cette section. Vous pouvez la régénérer.", MarkdownSection(markdown, section));
    }

    [Fact]
    public async Task An_english_brief_is_shown_in_english_to_a_browser_that_asks_for_french()
    {
        var briefId = await CancelledBrief("mariama", "en");
        var page = await SignedInPage("mariama", briefId, width: 1280, height: 900);

        await page.GotoAsync($"{baseUrl}/briefs/{briefId}");

        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Cancelled", await page.Locator(".hero .badge").InnerTextAsync());
        Assert.Equal("Cost 1 job (2 attempts), 2.3 s, 1,840 + 912 tokens", await page.Locator(".hero .cost").InnerTextAsync());
        Assert.Equal("Cost: gpt-4o-mini, 2 attempts, 2.3 s, 1,840 + 912 tokens",
            await Card(page, SectionNames.MarketResearch).Locator(".cost").InnerTextAsync());
        Assert.Equal("Generation was cancelled before this section finished. You can regenerate it.",
            await Card(page, SectionNames.LogoCreation).Locator(".notice").InnerTextAsync());
        Assert.Equal("Business profile", await page.Locator("#profile-title").InnerTextAsync());
    }

    [Fact]
    public async Task On_a_phone_the_page_fits_the_screen_without_sideways_scrolling()
    {
        var briefId = await ReadyBrief("moussa", BriefApiClient.DakarRequest("Atelier de couture Ndèye Fatou et ses sœurs"));
        var page = await SignedInPage("moussa", briefId, width: 360, height: 740);

        await page.GotoAsync($"{baseUrl}/briefs/{briefId}");

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page is wider than a 360 px screen");
        Assert.True(await page.Locator("#logo-creation img").First.IsVisibleAsync());
    }

    [Fact]
    public async Task Text_that_looks_like_markup_is_shown_as_typed_and_never_runs()
    {
        const string hostile = "</text><script>alert(1)</script>";
        var briefId = await ReadyBrief("awa", BriefApiClient.DakarRequest(hostile));
        var page = await SignedInPage("awa", briefId, width: 1280, height: 900);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync($"{baseUrl}/briefs/{briefId}");

        Assert.Equal(hostile, await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.True(await page.Locator("#logo-creation img").First.EvaluateAsync<int>("img => img.naturalWidth") > 0);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Without_a_session_the_page_says_how_to_open_one_and_another_users_brief_is_not_found()
    {
        var briefId = await ReadyBrief("ibrahima", BriefApiClient.DakarRequest());
        using var anonymous = new HttpClient { BaseAddress = new Uri(baseUrl) };

        var signIn = await anonymous.GetAsync($"/briefs/{briefId}");
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        var howTo = await signIn.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Session required</h1>", howTo);
        Assert.Contains("<code>DELETE /briefs/session</code> closes the session.", howTo);
        anonymous.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR");
        var inFrench = await anonymous.GetAsync($"/briefs/{briefId}");
        Assert.Contains("<h1>Session requise</h1>", await inFrench.Content.ReadAsStringAsync());

        var strangers = system.ClientFor("stranger");
        Assert.Equal(HttpStatusCode.NotFound, (await strangers.PostAsync($"/briefs/session?brief_id={briefId}", null)).StatusCode);
        var stranger = await SignedInPage("stranger", await CancelledBrief("stranger", "fr"), width: 1280, height: 900);
        var response = await stranger.GotoAsync($"{baseUrl}/briefs/{briefId}");
        Assert.Equal(404, response!.Status);
        Assert.Equal("Brief introuvable", await stranger.Locator("h1").InnerTextAsync());
        Assert.DoesNotContain("Boulangerie", await stranger.ContentAsync());
    }

    [Fact]
    public async Task The_session_cookie_is_out_of_reach_of_scripts_and_other_sites_and_ends_within_minutes()
    {
        var briefId = await CancelledBrief("khady", "fr");
        var page = await SignedInPage("khady", briefId, width: 800, height: 600);

        var cookie = Assert.Single(await page.Context.CookiesAsync([baseUrl + "/briefs/"]));

        // Plain HTTP from this machine in Development: the unprefixed name, the browser would refuse __Host- without Secure.
        Assert.Equal("bb_preview", cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        var sessionEnd = DateTimeOffset.UtcNow.AddMinutes(15);
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires), sessionEnd.AddMinutes(-1), sessionEnd.AddMinutes(1));
        Assert.Equal(200, (await page.GotoAsync($"{baseUrl}/briefs/{briefId}"))!.Status);
    }

    /// <summary>Only <paramref name="stale"/> carry the « à actualiser » badge and note, on the page and in the Markdown export.</summary>
    async Task AssertMarkedToRefresh(IPage page, HttpClient client, Guid briefId, params string[] stale)
    {
        await page.GotoAsync($"{baseUrl}/briefs/{briefId}");
        var markdown = await client.GetStringAsync($"{BriefApiClient.BasePath}/{briefId}/export?format=markdown");
        foreach (var section in SectionNames.All)
        {
            var card = Card(page, section);
            var isStale = stale.Contains(section);
            Assert.Equal((section, isStale ? 1 : 0), (section, await card.Locator(".badge.stale").CountAsync()));
            Assert.Equal((section, isStale), (section, MarkdownSection(markdown, section)
                .Contains("> **À actualiser** — Écrit à partir d'une ancienne étude de marché. Régénérez cette section pour la mettre à jour.")));
            if (!isStale)
                continue;
            Assert.True(await card.Locator(".badge.stale").IsVisibleAsync());
            Assert.Equal("À actualiser", await card.Locator(".badge.stale").InnerTextAsync());
            Assert.Contains("Écrit à partir d'une ancienne étude de marché. Régénérez cette section pour la mettre à jour.",
                await card.Locator(".notice.stale").InnerTextAsync());
        }
    }

    static async Task Regenerate(HttpClient client, Guid briefId, string section, bool cascade)
    {
        var response = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/{briefId}/regenerate", new { sections = new[] { section }, cascade });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ready", (await client.WaitUntilSettled(briefId)).GetProperty("status").GetString());
    }

    static ILocator Card(IPage page, string section) => page.Locator($"#{section.Replace('_', '-')}");

    /// <summary>The part of the Markdown export under the section's <c>##</c> heading; sections come in <see cref="SectionNames.All"/> order.</summary>
    static string MarkdownSection(string markdown, string section) =>
        markdown.Split("\n## ")[1 + SectionNames.All.ToList().IndexOf(section)];

    /// <summary>French groups digits with a (narrow) no-break space: compared as a plain space.</summary>
    static string Spaced(string text) => text.Replace('\u202F', ' ').Replace('\u00A0', ' ');

    /// <summary>A brief cancelled after its market research, which a language model wrote in two attempts.</summary>
    async Task<Guid> CancelledBrief(string userId, string language)
    {
        var research = new SectionUsage { Backend = "llm", Model = "gpt-4o-mini", Attempts = 2, DurationMs = 2345, PromptTokens = 1840, CompletionTokens = 912 };
        var now = DateTimeOffset.UtcNow;
        var brief = new BriefState
        {
            CorrelationId = NewId.NextGuid(), Status = BriefStatus.Cancelled, UserId = userId, Language = language, Revision = 1,
            Profile = BriefApiClient.MinimalProfile("Boutique Annulée"),
            Usage = new BriefUsage().Add(research),
            CreatedAt = now, UpdatedAt = now,
            Sections = SectionNames.All.ToDictionary(s => s, s => s == SectionNames.MarketResearch
                ? new SectionState
                {
                    Status = SectionStatus.Completed, Confidence = 0.8, Usage = research, UpdatedAt = now,
                    Result = JsonSerializer.SerializeToElement(new { summary = "Une boulangerie de quartier à Dakar.", confidence = 0.8 }),
                }
                : new SectionState { Status = SectionStatus.Cancelled, UpdatedAt = now }),
        };
        Assert.True(await system.Service<RedisSagaStore<BriefState>>().Insert(brief));
        return brief.CorrelationId;
    }

    async Task<Guid> ReadyBrief(string userId, System.Text.Json.Nodes.JsonObject request)
    {
        var client = system.ClientFor(userId);
        var briefId = await client.Submit(request);
        await client.WaitUntilSettled(briefId);
        return briefId;
    }

    /// <summary>A browser tab whose session was opened as the README says: POST /briefs/session?brief_id=… with the bearer token.</summary>
    async Task<IPage> SignedInPage(string userId, Guid briefId, int width, int height)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "fr-FR" });
        var session = await context.APIRequest.PostAsync($"{baseUrl}/briefs/session?brief_id={briefId}", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {system.Token(userId)}" },
        });
        Assert.Equal(204, session.Status);
        return await context.NewPageAsync();
    }
}
