using System.Net;
using System.Net.Http.Json;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.IntegrationTests.Security;

[Collection(ApiAloneCollection.Name)]
public class ErrorBodyTests(ApiAloneFixture api)
{
    const string FailurePath = "/test/unexpected-failure";
    const string Secret = "redis-primary.internal:6379 refused the password";

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    [InlineData("*/*")]
    public async Task An_unexpected_failure_is_a_500_problem_with_a_trace_id_and_nothing_internal(string accept)
    {
        await using var factory = new ApiFactory(api.Settings).WithWebHostBuilder(b =>
            b.ConfigureServices(s => s.AddSingleton<IStartupFilter, FailingEndpoint>()));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);

        var response = await client.GetAsync(FailurePath);

        await response.AssertProblem(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_browser_gets_problem_json_naming_what_it_sent_only_as_escaped_text()
    {
        const string markup = "<script>alert(1)</script>";
        var client = api.ClientFor("browser");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var anonymous = api.AnonymousClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var body = BriefApiClient.DakarRequest();
        body[markup] = "x";

        var unauthorized = await anonymous.GetAsync($"{BriefApiClient.BasePath}/{Guid.NewGuid()}");
        var missing = await client.GetAsync($"{BriefApiClient.BasePath}/{Guid.NewGuid()}");
        var rejected = await client.PostAsJsonAsync($"{BriefApiClient.BasePath}/generate", body);

        await unauthorized.AssertProblem(HttpStatusCode.Unauthorized);
        await missing.AssertProblem(HttpStatusCode.NotFound);
        // The API does name the unknown field the client sent: as JSON text, never as markup.
        await rejected.AssertInvalidField(markup);
        foreach (var response in new[] { unauthorized, missing, rejected })
            await response.AssertNoRawMarkup();
    }

    /// <summary>A test-only endpoint behind the whole pipeline of the API, failing the way a lost dependency does.</summary>
    sealed class FailingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == FailurePath
                ? throw new InvalidOperationException(Secret)
                : Task.CompletedTask);
        };
    }
}
