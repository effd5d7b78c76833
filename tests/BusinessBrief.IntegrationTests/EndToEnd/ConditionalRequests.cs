using System.Text.Json.Nodes;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>What a polling client sends: the tag it last saw (<c>If-None-Match</c>) and how long it may be held (<c>Prefer: wait</c>).</summary>
public static class ConditionalRequests
{
    public static async Task<HttpResponseMessage> GetIfChanged(this HttpClient client, string path, string? etag, int? waitSeconds = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (waitSeconds is not null)
            request.Headers.Add("Prefer", $"wait={waitSeconds}");
        return await client.SendAsync(request, cancellationToken);
    }

    public static string ETag(this HttpResponseMessage response) =>
        response.Headers.ETag?.Tag ?? throw new Xunit.Sdk.XunitException($"no ETag on a {(int)response.StatusCode} answer");

    public static string? PreferenceApplied(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Preference-Applied", out var values) ? string.Join(", ", values) : null;

    /// <summary>The brief as JSON without <c>expires_at</c>, which every read moves on: what one tag must always name.</summary>
    public static string WithoutExpiry(string briefJson)
    {
        var brief = JsonNode.Parse(briefJson)!.AsObject();
        brief.Remove("expires_at");
        return brief.ToJsonString();
    }
}
