using System.Net;
using System.Net.Http.Headers;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
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
        var page = await SignedInPage("fatou", width: 1280, height: 900);

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

        var screenshot = await page.ScreenshotAsync(new() { FullPage = true });
        Directory.CreateDirectory(RepositoryFiles.PathOf(".data/test-results"));
        await File.WriteAllBytesAsync(RepositoryFiles.PathOf(".data/test-results/preview.png"), screenshot);
        Directory.CreateDirectory(RepositoryFiles.PathOf("docs/images"));
        await File.WriteAllBytesAsync(RepositoryFiles.PathOf("docs/images/preview.png"), screenshot);

        // The long market analysis waits behind one click.
        var research = page.Locator("#market-research");
        Assert.Contains("Boulangerie Teranga", await research.Locator("p").First.InnerTextAsync());
        Assert.False(await research.Locator("dl").First.IsVisibleAsync());
        await research.GetByText("Analyse complète").ClickAsync();
        Assert.True(await research.Locator("dl").First.IsVisibleAsync());
    }

    [Fact]
    public async Task On_a_phone_the_page_fits_the_screen_without_sideways_scrolling()
    {
        var briefId = await ReadyBrief("moussa", BriefApiClient.DakarRequest("Atelier de couture Ndèye Fatou et ses sœurs"));
        var page = await SignedInPage("moussa", width: 360, height: 740);

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
        var page = await SignedInPage("awa", width: 1280, height: 900);
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
        Assert.Contains("Session requise", await signIn.Content.ReadAsStringAsync());

        var stranger = await SignedInPage("stranger", width: 1280, height: 900);
        var response = await stranger.GotoAsync($"{baseUrl}/briefs/{briefId}");
        Assert.Equal(404, response!.Status);
        Assert.Equal("Brief introuvable", await stranger.Locator("h1").InnerTextAsync());
        Assert.DoesNotContain("Boulangerie", await stranger.ContentAsync());
    }

    [Fact]
    public async Task The_session_cookie_is_out_of_reach_of_scripts_and_other_sites_and_ends_with_the_token()
    {
        var page = await SignedInPage("khady", width: 800, height: 600);

        var cookie = Assert.Single(await page.Context.CookiesAsync([baseUrl + "/briefs/"]));

        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/briefs", cookie.Path);
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires), DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(65));
        Assert.Empty(await page.Context.CookiesAsync([baseUrl + "/api/v1/business/brief/"]));
    }

    async Task<Guid> ReadyBrief(string userId, System.Text.Json.Nodes.JsonObject request)
    {
        var client = system.ClientFor(userId);
        var briefId = await client.Submit(request);
        await client.WaitUntilSettled(briefId);
        return briefId;
    }

    /// <summary>A browser tab whose session was opened as the README says: POST /briefs/session with the bearer token.</summary>
    async Task<IPage> SignedInPage(string userId, int width, int height)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "fr-FR" });
        var session = await context.APIRequest.PostAsync($"{baseUrl}/briefs/session", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {system.Token(userId)}" },
        });
        Assert.Equal(204, session.Status);
        return await context.NewPageAsync();
    }
}
