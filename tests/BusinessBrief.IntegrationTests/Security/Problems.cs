using System.Net;
using System.Text.Json;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// What every error answer of the API must look like (RFC 9457), and must not contain. The trace id is
/// <c>trace_id</c>: ASP.NET Core names problem extensions with the API's snake_case policy.
/// </summary>
public static class Problems
{
    // Traces of the implementation a client must never see: stack frames, exception and .NET type names.
    static readonly string[] Internals = ["   at ", "Exception", "System.", "BusinessBrief.", "Microsoft.", "StackExchange", "MassTransit"];

    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.TryGetProperty("status", out var code) && code.GetInt32() == (int)status, text);
        Assert.True(problem.TryGetProperty("title", out var title) && !string.IsNullOrWhiteSpace(title.GetString()), text);
        Assert.True(problem.TryGetProperty("trace_id", out var traceId) && !string.IsNullOrWhiteSpace(traceId.GetString()), text);
        Assert.All(Internals, internals => Assert.DoesNotContain(internals, text));
        return problem;
    }

    /// <summary>
    /// Problem+json in which no <c>&lt;</c> or <c>&gt;</c> appears as such: a problem may name what the client sent
    /// (an unknown field's name), but only JSON-escaped, so no browser or careless log viewer meets markup in it.
    /// </summary>
    public static async Task AssertNoRawMarkup(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.IndexOfAny(['<', '>']) < 0, $"markup reflected raw: {text}");
    }

    /// <summary>A 400 whose <c>errors</c> map names <paramref name="field"/>; returns that field's messages.</summary>
    public static async Task<string[]> AssertInvalidField(this HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
        var texts = messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t)));
        return texts;
    }
}
