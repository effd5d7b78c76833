using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>What an operator finds in RabbitMQ's management UI: one queue per agent and one for the saga, named for what they do.</summary>
[Collection(BriefSystemCollection.Name)]
public class RabbitMqTopologyTests(BriefSystemFixture system)
{
    const string ManagementUi = "http://localhost:15672";

    [Fact]
    public async Task The_management_ui_lists_a_kebab_case_queue_for_the_saga_and_for_each_agent()
    {
        var client = system.ClientFor("operator");
        await client.WaitUntilSettled(await client.Submit());
        string[] expected = [Queues.Briefs, .. SectionNames.All.Select(Queues.SubAgent)];

        var queues = await QueueNames(system.VirtualHost);
        Assert.All(expected, queue => Assert.Contains(queue, queues));
        Assert.All(expected, queue => Assert.Matches("^[a-z]+(-[a-z]+)*$", queue));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(ManagementUi);
        await page.FillAsync("input[name=username]", "guest");
        await page.FillAsync("input[name=password]", "guest");
        await page.ClickAsync("input[type=submit]");
        await page.GotoAsync($"{ManagementUi}/#/queues");
        await page.SelectOptionAsync("#show-vhost", system.VirtualHost);

        // The queue list is filled by the UI's own polling: wait for each row rather than look once.
        foreach (var queue in expected)
            await page.Locator("table.list a", new() { HasTextString = queue }).First.WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = RepositoryFiles.DocsArtefact("images/rabbitmq-queues.png"), FullPage = true });
    }

    static async Task<List<string>> QueueNames(string virtualHost)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var queues = await http.GetFromJsonAsync<JsonElement>($"{ManagementUi}/api/queues/{Uri.EscapeDataString(virtualHost)}");
        return queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToList();
    }
}
