using System.Security.Claims;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BusinessBrief.Api.Briefs;

public static class BriefsApi
{
    public const string BasePath = "/api/v1/business/brief";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>A brief request is a few KB of text; Kestrel's default would accept 30 MB.</summary>
    public const int MaxJsonBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapBriefsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath)
            .WithTags("Briefs")
            .RequireAuthorization()
            .WithMetadata(new RequestSizeLimitAttribute(MaxJsonBodyBytes));

        api.MapPost("/generate", GenerateBrief).WithName(nameof(GenerateBrief))
            .RequireRateLimiting(RateLimitingExtensions.GeneratePolicy);
        api.MapGet("/{brief_id:guid}", GetBrief).WithName(nameof(GetBrief));
        api.MapGet("/{brief_id:guid}/results", GetResults).WithName(nameof(GetResults));
        api.MapPost("/{brief_id:guid}/regenerate", RegenerateSections).WithName(nameof(RegenerateSections))
            .RequireRateLimiting(RateLimitingExtensions.RegeneratePolicy);
        api.MapPost("/{brief_id:guid}/cancel", CancelBrief).WithName(nameof(CancelBrief));
        api.MapDelete("/{brief_id:guid}", DeleteBrief).WithName(nameof(DeleteBrief));
        return api;
    }

    public static async Task<Results<Accepted<BriefAccepted>, ValidationProblem, ProblemHttpResult>> GenerateBrief(
        GenerateBriefRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        BriefAdmission admission,
        IValidator<GenerateBriefRequest> validator,
        ProblemMessages messages)
    {
        if (await validator.ValidateAsync(request) is { IsValid: false } invalid)
            return TypedResults.ValidationProblem(invalid.ToDictionary(), title: messages.ValidationTitle);
        if (idempotencyKey is not null && !IdempotencyKeys.IsWellFormed(idempotencyKey))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [messages.IdempotencyKeyFormat(IdempotencyKeys.MaxKeyLength)],
            }, title: messages.ValidationTitle);

        return await admission.Generate(user.UserId(), request, idempotencyKey) switch
        {
            Admission.Accepted accepted => Accepted(accepted),
            var refused => Problem(refused),
        };
    }

    public static async Task<Results<Ok<BriefResponse>, NotFound>> GetBrief([FromRoute(Name = "brief_id")] Guid briefId, ClaimsPrincipal user,
        BriefServices services)
    {
        var stored = await services.Store.FindOwned(briefId, user.UserId());
        return stored is null ? TypedResults.NotFound() : TypedResults.Ok(BriefResponse.Of(stored, services.Clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<SectionResults>, NotFound>> GetResults([FromRoute(Name = "brief_id")] Guid briefId, ClaimsPrincipal user,
        BriefServices services)
    {
        var stored = await services.Store.FindOwned(briefId, user.UserId());
        return stored is null ? TypedResults.NotFound() : TypedResults.Ok(SectionResults.Of(stored.Brief));
    }

    public static async Task<Results<Accepted<BriefAccepted>, ValidationProblem, NotFound, ProblemHttpResult>> RegenerateSections(
        [FromRoute(Name = "brief_id")] Guid briefId,
        RegenerateSectionsRequest request,
        ClaimsPrincipal user,
        BriefAdmission admission,
        BriefServices services,
        IValidator<RegenerateSectionsRequest> validator,
        ProblemMessages messages)
    {
        // Another user's brief answers 404 before its request is judged: a 400 would tell that it exists.
        if (await validator.ValidateAsync(request) is { IsValid: false } invalid)
            return await services.Store.FindOwned(briefId, user.UserId()) is null
                ? TypedResults.NotFound()
                : TypedResults.ValidationProblem(invalid.ToDictionary(), title: messages.ValidationTitle);

        return await admission.Regenerate(briefId, user.UserId(), request) switch
        {
            Admission.Accepted accepted => Accepted(accepted),
            Admission.Missing => TypedResults.NotFound(),
            var refused => Problem(refused),
        };
    }

    public static async Task<Results<Accepted<BriefAccepted>, NotFound, ProblemHttpResult>> CancelBrief([FromRoute(Name = "brief_id")] Guid briefId,
        ClaimsPrincipal user, BriefAdmission admission) =>
        await admission.Cancel(briefId, user.UserId()) switch
        {
            Admission.Accepted accepted => Accepted(accepted),
            Admission.Missing => TypedResults.NotFound(),
            var refused => Problem(refused),
        };

    public static async Task<Results<NoContent, NotFound>> DeleteBrief([FromRoute(Name = "brief_id")] Guid briefId, ClaimsPrincipal user,
        BriefAdmission admission) =>
        await admission.Erase(briefId, user.UserId()) ? TypedResults.NoContent() : TypedResults.NotFound();

    static Accepted<BriefAccepted> Accepted(Admission.Accepted accepted)
    {
        var url = $"{BasePath}/{accepted.BriefId}";
        return TypedResults.Accepted(url, new BriefAccepted(accepted.BriefId, accepted.Status.ToWire(), accepted.Revision, url));
    }

    static ProblemHttpResult Problem(Admission refusal) => refusal is Admission.Refused refused
        ? TypedResults.Problem(statusCode: refused.StatusCode, title: refused.Title, detail: refused.Detail)
        : throw new InvalidOperationException($"{refusal} is not a refusal");
}
