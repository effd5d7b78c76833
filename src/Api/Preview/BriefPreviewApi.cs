using System.Security.Claims;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Briefs.Export;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace BusinessBrief.Api.Preview;

/// <summary>The brief as its owner wants to see it, in a browser: <c>/briefs/{brief_id}</c>.</summary>
public static class BriefPreviewApi
{
    public static IEndpointRouteBuilder MapBriefPreview(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup($"{BriefPreviewSession.CookiePath}/session").WithTags("Preview");
        session.MapPost("/", OpenPreviewSession).WithName(nameof(OpenPreviewSession)).RequireAuthorization();
        session.MapDelete("/", ClosePreviewSession).WithName(nameof(ClosePreviewSession));

        // Anonymous on purpose: a visitor without a session gets a page that says how to open one, not a bare 401.
        app.MapGet($"{BriefPreviewSession.CookiePath}/{{brief_id:guid}}", ShowBrief).WithName(nameof(ShowBrief))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The token that authenticated the request becomes the session's cookie (sent again by the cookie itself, it stays).</summary>
    public static NoContent OpenPreviewSession(HttpContext http, ClaimsPrincipal user)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            BriefPreviewSession.Open(http, header["Bearer ".Length..].Trim(), BriefPreviewSession.Expiry(user));
        return TypedResults.NoContent();
    }

    public static NoContent ClosePreviewSession(HttpContext http)
    {
        BriefPreviewSession.Close(http);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> ShowBrief([FromRoute(Name = "brief_id")] Guid briefId, ClaimsPrincipal user, BriefServices services,
        IStringLocalizer<BriefWording> wording, IStringLocalizer<PreviewWording> texts)
    {
        var page = new BriefPreviewPage(new BriefWording(wording), new PreviewWording(texts));
        if (user.Identity?.IsAuthenticated != true)
            return page.SignInRequired();

        var stored = await services.Store.FindOwned(briefId, user.UserId());
        return stored is null
            ? page.NotFound()
            : page.Of(BriefResponse.Of(stored, services.Clock.GetUtcNow()));
    }
}
