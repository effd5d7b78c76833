using System.Globalization;
using System.Net;
using System.Security.Claims;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Preview;

/// <summary>
/// How a browser shows a brief to its owner without holding the bearer token: <c>POST /briefs/session?brief_id=…</c> with
/// the usual <c>Authorization: Bearer</c> header opens a preview session (<see cref="PreviewSessions"/>: opaque, 15 minutes,
/// those briefs only) and hands its token to the browser in an HttpOnly, SameSite=Strict, <c>__Host-</c> cookie. Only the
/// preview pages read that cookie; the JSON API accepts nothing but a bearer token.
/// </summary>
public static class BriefPreviewSession
{
    public const string PagePath = "/briefs";

    /// <summary><c>__Host-</c>: the browser keeps it only if it came Secure, for Path=/ and this host alone, so no sibling host can plant one.</summary>
    public const string CookieName = "__Host-bb_preview";

    /// <summary>The same cookie over plain HTTP to a developer's own machine, where a browser would refuse the prefix without Secure.</summary>
    public const string LoopbackCookieName = "bb_preview";

    public static void Open(HttpContext http, IHostEnvironment environment, OpenedPreviewSession session)
    {
        var secure = IsSecure(http, environment);
        http.Response.Cookies.Append(secure ? CookieName : LoopbackCookieName, session.Token, Options(secure, session.Expires));
    }

    public static void Close(HttpContext http, IHostEnvironment environment)
    {
        var secure = IsSecure(http, environment);
        http.Response.Cookies.Delete(secure ? CookieName : LoopbackCookieName, Options(secure, expires: null));
    }

    /// <summary>The session token the browser sent; the unprefixed cookie only where it could have been set.</summary>
    public static string? Token(HttpContext http, IHostEnvironment environment) =>
        http.Request.Cookies[CookieName] ?? (IsSecure(http, environment) ? null : http.Request.Cookies[LoopbackCookieName]);

    /// <summary>
    /// Secure everywhere but plain HTTP from the machine itself in Development. Behind a TLS proxy the request reads as
    /// HTTPS through its <c>X-Forwarded-Proto</c> (forwarded headers are honoured from the configured proxies).
    /// </summary>
    public static bool IsSecure(HttpContext http, IHostEnvironment environment) =>
        http.Request.IsHttps || !environment.IsDevelopment() || http.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address);

    /// <summary>The bearer token's own expiry (<c>exp</c>, seconds since 1970), so the session never outlives it.</summary>
    public static DateTimeOffset? Expiry(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    static CookieOptions Options(bool secure, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        // Nothing in the preview starts on another site (the session is opened with a bearer header, which no link carries).
        SameSite = SameSiteMode.Strict,
        Secure = secure,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
