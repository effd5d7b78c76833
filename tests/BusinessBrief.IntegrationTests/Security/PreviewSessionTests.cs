using System.Net;
using System.Security.Cryptography;
using System.Text;
using BusinessBrief.IntegrationTests.EndToEnd;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// The browser preview's credential: opaque, kept hashed in Redis for 15 minutes, good for the briefs it names on the
/// preview pages only, ended at once by closing it. The API runs in Development and the test client is on loopback, so
/// without a proxy the cookie is the unprefixed loopback one.
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class PreviewSessionTests(ApiAloneFixture api)
{
    const string LoopbackCookie = "bb_preview";
    const string HostCookie = "__Host-bb_preview";

    [Fact]
    public async Task The_session_is_an_opaque_token_kept_hashed_in_Redis_for_15_minutes_that_the_json_api_refuses()
    {
        var userId = $"awa-{Guid.NewGuid():N}";
        var briefId = await api.ReadyBrief(userId);

        var token = await OpenSession(userId, briefId);

        Assert.Equal(43, token.Length);
        Assert.DoesNotContain('.', token);
        var key = await SessionKey(token);
        Assert.DoesNotContain(token, (string?)await api.Redis.GetDatabase().StringGetAsync(key) ?? "");
        Assert.InRange((await api.Redis.GetDatabase().KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await Preview(briefId, LoopbackCookie, token)).StatusCode);

        var anonymous = api.ClientWithoutCookies();
        var withCookie = new HttpRequestMessage(HttpMethod.Get, $"{BriefApiClient.BasePath}/{briefId}");
        withCookie.Headers.Add("Cookie", $"{LoopbackCookie}={token}");
        await (await anonymous.SendAsync(withCookie)).AssertProblem(HttpStatusCode.Unauthorized);
        var asBearer = new HttpRequestMessage(HttpMethod.Get, $"{BriefApiClient.BasePath}/{briefId}");
        asBearer.Headers.Authorization = new("Bearer", token);
        await (await anonymous.SendAsync(asBearer)).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_session_ends_no_later_than_the_bearer_token_that_opened_it()
    {
        var userId = $"awa-{Guid.NewGuid():N}";
        var briefId = await api.ReadyBrief(userId);
        var client = api.ClientWithoutCookies();
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(userId, expires: DateTime.UtcNow.AddMinutes(2)));

        var token = CookieValue(await client.PostAsync($"/briefs/session?brief_id={briefId}", null), LoopbackCookie);

        var ttl = await api.Redis.GetDatabase().KeyTimeToLiveAsync(await SessionKey(token));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Closing_the_session_ends_it_at_once_for_every_copy_of_the_cookie()
    {
        var userId = $"awa-{Guid.NewGuid():N}";
        var briefId = await api.ReadyBrief(userId);
        var token = await OpenSession(userId, briefId);
        var key = await SessionKey(token);

        var close = new HttpRequestMessage(HttpMethod.Delete, "/briefs/session");
        close.Headers.Add("Cookie", $"{LoopbackCookie}={token}");
        var closed = await api.ClientWithoutCookies().SendAsync(close);

        Assert.Equal(HttpStatusCode.NoContent, closed.StatusCode);
        Assert.Contains(closed.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{LoopbackCookie}=;") && c.Contains("expires=Thu, 01 Jan 1970"));
        Assert.False(await api.Redis.GetDatabase().KeyExistsAsync(key));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Preview(briefId, LoopbackCookie, token)).StatusCode);
    }

    [Fact]
    public async Task Another_users_session_cannot_open_my_brief_and_a_session_shows_only_the_briefs_it_names()
    {
        var me = $"fatou-{Guid.NewGuid():N}";
        var stranger = $"moussa-{Guid.NewGuid():N}";
        var mine = await api.ReadyBrief(me);
        var myOther = await api.ReadyBrief(me);
        var theirs = await api.ReadyBrief(stranger);

        var refused = await api.ClientWithoutCookies(stranger).PostAsync($"/briefs/session?brief_id={mine}", null);
        await refused.AssertProblem(HttpStatusCode.NotFound);
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        var strangersToken = await OpenSession(stranger, theirs);
        var shown = await Preview(mine, LoopbackCookie, strangersToken);
        Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode);
        Assert.DoesNotContain("Boulangerie", await shown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Preview(myOther, LoopbackCookie, await OpenSession(me, mine))).StatusCode);
    }

    [Fact]
    public async Task Behind_a_tls_proxy_the_cookie_is_Secure_and_Host_prefixed_and_the_loopback_name_is_ignored()
    {
        var userId = $"awa-{Guid.NewGuid():N}";
        var briefId = await api.ReadyBrief(userId);
        var open = new HttpRequestMessage(HttpMethod.Post, $"/briefs/session?brief_id={briefId}");
        open.Headers.Add("X-Forwarded-Proto", "https");

        var opened = await api.ClientWithoutCookies(userId).SendAsync(open);

        Assert.Equal(HttpStatusCode.NoContent, opened.StatusCode);
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{HostCookie}=", cookie);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain"));
        var token = CookieValue(opened, HostCookie);
        Assert.Equal(HttpStatusCode.OK, (await Preview(briefId, HostCookie, token, proto: "https")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Preview(briefId, LoopbackCookie, token, proto: "https")).StatusCode);
    }

    async Task<string> OpenSession(string userId, Guid briefId)
    {
        var opened = await api.ClientWithoutCookies(userId).PostAsync($"/briefs/session?brief_id={briefId}", null);
        Assert.Equal(HttpStatusCode.NoContent, opened.StatusCode);
        return CookieValue(opened, LoopbackCookie);
    }

    async Task<string> SessionKey(string token)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return Assert.Single(await api.Keys(), k => k.EndsWith($":preview:{hash}"));
    }

    Task<HttpResponseMessage> Preview(Guid briefId, string cookie, string token, string? proto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/briefs/{briefId}");
        request.Headers.Add("Cookie", $"{cookie}={token}");
        if (proto is not null)
            request.Headers.Add("X-Forwarded-Proto", proto);
        return api.ClientWithoutCookies().SendAsync(request);
    }

    static string CookieValue(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{name}=")).Split(';')[0][(name.Length + 1)..];
}
