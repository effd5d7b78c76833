using System.Security.Claims;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Briefs.Export;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace BusinessBrief.Api.Preview;

/// <summary>The brief as its owner wants to see it, in a browser: <c>/briefs/{brief_id}</c>.</summary>
public static class BriefPreviewApi
{
    /// <summary>The briefs one session may show: a browser tab's worth, not a user's whole account.</summary>
    public const int MaxBriefsPerSession = 20;

    public static IEndpointRouteBuilder MapBriefPreview(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup($"{BriefPreviewSession.PagePath}/session").WithTags("Preview");
        session.MapPost("/", OpenPreviewSession).WithName(nameof(OpenPreviewSession)).RequireAuthorization()
            .RequireRateLimiting(RateLimitingExtensions.WritePolicy);
        session.MapDelete("/", ClosePreviewSession).WithName(nameof(ClosePreviewSession))
            .RequireRateLimiting(RateLimitingExtensions.PerAddressPolicy);

        // Anonymous on purpose: a visitor without a session gets a page that says how to open one, not a bare 401.
        app.MapGet($"{BriefPreviewSession.PagePath}/{{brief_id:guid}}", ShowBrief).WithName(nameof(ShowBrief))
            .RequireRateLimiting(RateLimitingExtensions.PerAddressPolicy)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Opens a session for the caller's briefs named by <c>brief_id</c>; any of them missing or not theirs is 404.</summary>
    public static async Task<Results<NoContent, ValidationProblem, NotFound>> OpenPreviewSession(
        [FromQuery(Name = "brief_id")] Guid[] briefIds, HttpContext http, ClaimsPrincipal user, BriefServices services,
        PreviewSessions sessions, IHostEnvironment environment, ProblemMessages messages)
    {
        briefIds = [.. briefIds.Distinct()];
        if (briefIds.Length is 0 or > MaxBriefsPerSession)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["brief_id"] = [messages.PreviewBriefIds(MaxBriefsPerSession)],
            }, title: messages.ValidationTitle);

        var userId = user.UserId();
        foreach (var briefId in briefIds)
            if (await services.Store.FindOwnedTag(briefId, userId) is null)
                return TypedResults.NotFound();

        BriefPreviewSession.Open(http, environment,
            await sessions.Open(userId, briefIds, notAfter: BriefPreviewSession.Expiry(user)));
        return TypedResults.NoContent();
    }

    /// <summary>Ends the session in Redis, not only in this browser: a copied cookie stops working too.</summary>
    public static async Task<NoContent> ClosePreviewSession(HttpContext http, PreviewSessions sessions, IHostEnvironment environment)
    {
        await sessions.Close(BriefPreviewSession.Token(http, environment));
        BriefPreviewSession.Close(http, environment);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> ShowBrief([FromRoute(Name = "brief_id")] Guid briefId, HttpContext http, PreviewSessions sessions,
        BriefServices services, IHostEnvironment environment, IStringLocalizer<BriefWording> wording, IStringLocalizer<PreviewWording> texts)
    {
        var page = new BriefPreviewPage(new BriefWording(wording), new PreviewWording(texts));
        var session = await sessions.Find(BriefPreviewSession.Token(http, environment));
        if (session is null)
            return page.SignInRequired(briefId);

        var stored = session.Shows(briefId) ? await services.Store.FindOwned(briefId, session.UserId) : null;
        return stored is null
            ? page.NotFound()
            : page.Of(BriefResponse.Of(stored, services.Clock.GetUtcNow()));
    }
}
