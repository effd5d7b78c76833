using System.Globalization;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace BusinessBrief.Api.Preview;

/// <summary>
/// How a browser shows a brief to its owner without putting the token in a URL: <c>POST /briefs/session</c> with
/// the usual <c>Authorization: Bearer</c> header stores that same token in an HttpOnly, SameSite=Strict cookie
/// scoped to <c>/briefs</c>, and the preview pages authenticate with it. The cookie never reaches the JSON API
/// (other path), scripts cannot read it, other sites cannot send it, and it expires with the token.
/// </summary>
public static class BriefPreviewSession
{
    public const string CookieName = "bb_preview";
    public const string CookiePath = "/briefs";

    /// <summary>
    /// The API's bearer scheme also reads the session cookie, on the preview pages only and only when the request
    /// carries no <c>Authorization</c> header: one scheme, so the same keys, issuer and audiences validate both.
    /// </summary>
    public static IHostApplicationBuilder AddBriefPreviewSession(this IHostApplicationBuilder builder)
    {
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            o.Events ??= new JwtBearerEvents();
            var received = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async context =>
            {
                await received(context);
                var request = context.Request;
                if (context.Token is null && request.Headers.Authorization.Count == 0 && request.Path.StartsWithSegments(CookiePath))
                    context.Token = request.Cookies[CookieName];
            };
        });
        return builder;
    }

    public static void Open(HttpContext http, string token, DateTimeOffset? expires) =>
        http.Response.Cookies.Append(CookieName, token, Options(http, expires));

    public static void Close(HttpContext http) => http.Response.Cookies.Delete(CookieName, Options(http, expires: null));

    /// <summary>The token's own expiry (<c>exp</c>, seconds since 1970), so the session never outlives it.</summary>
    public static DateTimeOffset? Expiry(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = CookiePath,
        Expires = expires,
        IsEssential = true,
    };
}
