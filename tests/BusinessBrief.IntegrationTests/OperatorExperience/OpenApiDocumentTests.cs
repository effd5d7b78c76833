using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BusinessBrief.Api.Briefs;
using BusinessBrief.IntegrationTests.EndToEnd;
using Microsoft.AspNetCore.Routing;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>The OpenAPI document a client developer reads (and Scalar shows) at <c>/openapi/v1.json</c>.</summary>
[Collection(BriefSystemCollection.Name)]
public partial class OpenApiDocumentTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;

    public static TheoryData<string, string, int[]> Operations => new()
    {
        { "post", $"{Base}/generate", [202, 400, 401, 413, 415, 422, 429, 503] },
        { "get", Base, [200, 400, 401, 429, 503] },
        { "get", $"{Base}/{{brief_id}}", [200, 401, 404, 429, 503] },
        { "get", $"{Base}/{{brief_id}}/results", [200, 401, 404, 429, 503] },
        { "post", $"{Base}/{{brief_id}}/regenerate", [202, 400, 401, 404, 409, 413, 415, 429, 503] },
        { "post", $"{Base}/{{brief_id}}/cancel", [202, 401, 404, 409, 429, 503] },
        { "post", $"{Base}/{{brief_id}}/archive", [202, 401, 404, 409, 429, 503] },
        { "delete", $"{Base}/{{brief_id}}", [204, 401, 404, 429, 503] },
        { "get", $"{Base}/{{brief_id}}/events", [200, 204, 401, 404, 429, 503] },
        { "get", $"{Base}/{{brief_id}}/export", [200, 400, 401, 404, 429, 503] },
        { "get", $"{Base}/{{brief_id}}/logos/{{number}}.svg", [200, 401, 404, 429, 503] },
        { "post", "/briefs/session", [204, 400, 401, 404, 429, 503] },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Each_operation_documents_every_status_code_it_can_answer(string method, string path, int[] statuses)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);

        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).Order();
        Assert.Equal(statuses, documented);
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()));
        Assert.All(operation.GetProperty("responses").EnumerateObject(),
            r => Assert.False(string.IsNullOrWhiteSpace(r.Value.GetProperty("description").GetString())));
        Assert.Equal("Bearer", Assert.Single(Assert.Single(operation.GetProperty("security").EnumerateArray()).EnumerateObject()).Name);
    }

    [Fact]
    public async Task Every_api_endpoint_the_service_maps_is_in_the_document()
    {
        var paths = (await Document()).GetProperty("paths");

        var endpoints = system.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(Base, StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            // The group's own path ("" in its group) ends with a slash that the document, like routing, leaves out.
            var path = RouteConstraint().Replace(endpoint.RoutePattern.RawText!, "{$1}").TrimEnd('/');
            Assert.True(paths.TryGetProperty(path, out var operations), $"{path} is missing from the OpenAPI document");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
                Assert.True(operations.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is missing");
        }
    }

    [Fact]
    public async Task Every_schema_property_is_snake_case_as_the_json_on_the_wire()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");

        var properties = schemas.EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out _))
            .SelectMany(s => s.Value.GetProperty("properties").EnumerateObject().Select(p => $"{s.Name}.{p.Name}"))
            .ToList();

        Assert.Contains("BriefResponse.is_ready_for_website", properties);
        Assert.Contains("GenerateBriefRequest.coaching_session_id", properties);
        Assert.All(properties, p => Assert.Matches(SnakeCase(), p.Split('.')[1]));
    }

    [Fact]
    public async Task The_bearer_scheme_is_declared_for_the_try_it_console()
    {
        var scheme = (await Document()).GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Equal("JWT", scheme.GetProperty("bearerFormat").GetString());
    }

    [Fact]
    public async Task The_french_request_example_is_the_dakar_brief_and_the_api_accepts_it_as_is()
    {
        var generate = (await Document()).GetProperty("paths").GetProperty($"{Base}/generate").GetProperty("post");
        var example = generate.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        Assert.Equal("Dakar", example.GetProperty("location").GetProperty("city").GetString());
        Assert.Equal("fr", example.GetProperty("language").GetString());
        var accepted = generate.GetProperty("responses").GetProperty("202").GetProperty("content")
            .GetProperty("application/json").GetProperty("example");
        Assert.Equal("generating", accepted.GetProperty("status").GetString());

        var response = await system.ClientFor("doc-reader").PostAsJsonAsync($"{Base}/generate", example);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_regeneration_request_documents_cascade_and_the_sections_it_reaches()
    {
        var document = await Document();
        var cascade = document.GetProperty("components").GetProperty("schemas").GetProperty("RegenerateSectionsRequest")
            .GetProperty("properties").GetProperty("cascade");
        var regenerate = document.GetProperty("paths").GetProperty($"{Base}/{{brief_id}}/regenerate").GetProperty("post");

        Assert.Contains("boolean", cascade.GetProperty("type").ToString());
        Assert.Contains("stale", cascade.GetProperty("description").GetString());
        Assert.Contains("`seo_optimization` ← `market_research`", regenerate.GetProperty("description").GetString());
        Assert.True(regenerate.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("cascade").GetBoolean());
    }

    [Fact]
    public async Task The_lists_numeric_query_parameters_are_integers_with_the_bounds_the_api_enforces()
    {
        var parameters = (await Document()).GetProperty("paths").GetProperty(Base).GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

        var limit = parameters["limit"];
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(1, limit.GetProperty("minimum").GetInt32());
        Assert.Equal(BriefListsApi.MaxPageSize, limit.GetProperty("maximum").GetInt32());
        Assert.Equal(BriefListsApi.DefaultPageSize, limit.GetProperty("default").GetInt32());
        var session = parameters["coaching_session_id"];
        Assert.Equal("integer", session.GetProperty("type").GetString());
        Assert.Equal("int64", session.GetProperty("format").GetString());
        Assert.Equal(1, session.GetProperty("minimum").GetInt64());
        Assert.Equal("string", parameters["cursor"].GetProperty("type").GetString());
    }

    async Task<JsonElement> Document()
    {
        var response = await system.AnonymousClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
