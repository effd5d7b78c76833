using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BusinessBrief.Api.Briefs.Export;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Api.Briefs;

/// <summary>A brief taken out of the service: a document to read or keep, and its logos as images.</summary>
public static class BriefExportsApi
{
    static readonly string[] Formats = ["markdown", "json"];

    public static RouteGroupBuilder MapBriefExportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BriefsApi.BasePath)
            .WithTags("Exports")
            .RequireAuthorization();

        api.MapGet("/{brief_id:guid}/export", ExportBrief).WithName(nameof(ExportBrief))
            .RequireRateLimiting(RateLimitingExtensions.ReadPolicy);
        api.MapGet("/{brief_id:guid}/logos/{number:int}.svg", GetLogo).WithName(nameof(GetLogo))
            .RequireRateLimiting(RateLimitingExtensions.ReadPolicy);
        return api;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, NotFound>> ExportBrief(
        [FromRoute(Name = "brief_id")] Guid briefId, string? format, ClaimsPrincipal user, BriefServices services, IOptions<JsonOptions> json,
        ProblemMessages messages, IStringLocalizer<BriefWording> wording)
    {
        format ??= "markdown";
        if (!Formats.Contains(format))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [messages.NotAFormat(format, Formats)] },
                title: messages.ValidationTitle);

        var stored = await services.Store.FindOwned(briefId, user.UserId());
        if (stored is null)
            return TypedResults.NotFound();

        var brief = BriefResponse.Of(stored, services.Clock.GetUtcNow());
        var name = $"brief-{briefId}";
        return format == "json"
            ? TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(brief, json.Value.SerializerOptions), "application/json", $"{name}.json")
            : TypedResults.File(Encoding.UTF8.GetBytes(new BriefMarkdown(new BriefWording(wording)).Render(brief)), "text/markdown; charset=utf-8", $"{name}.md");
    }

    /// <summary>Logo concept <paramref name="number"/> (from 1) of the brief, as a standalone SVG image.</summary>
    public static async Task<Results<ContentHttpResult, NotFound>> GetLogo([FromRoute(Name = "brief_id")] Guid briefId, int number, ClaimsPrincipal user,
        BriefServices services, HttpResponse response)
    {
        var stored = await services.Store.FindOwned(briefId, user.UserId());
        var svg = stored is null ? null : LogoConcepts.Svg(SectionResults.Of(stored.Brief).LogoCreation, number);
        if (svg is null)
            return TypedResults.NotFound();

        // The SVG embeds user text: served as an image that can run nothing and load nothing.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentDisposition = $"inline; filename=\"logo-{number}.svg\"";
        return TypedResults.Content(svg, "image/svg+xml; charset=utf-8");
    }
}
