using System.Security.Claims;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

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
        api.MapGet("/{brief_id:guid}", GetBrief).WithName(nameof(GetBrief))
            .RequireRateLimiting(RateLimitingExtensions.ReadPolicy);
        api.MapGet("/{brief_id:guid}/results", GetResults).WithName(nameof(GetResults))
            .RequireRateLimiting(RateLimitingExtensions.ReadPolicy);
        api.MapPost("/{brief_id:guid}/regenerate", RegenerateSections).WithName(nameof(RegenerateSections))
            .RequireRateLimiting(RateLimitingExtensions.RegeneratePolicy);
        api.MapPost("/{brief_id:guid}/cancel", CancelBrief).WithName(nameof(CancelBrief))
            .RequireRateLimiting(RateLimitingExtensions.WritePolicy);
        api.MapPost("/{brief_id:guid}/archive", ArchiveBrief).WithName(nameof(ArchiveBrief))
            .RequireRateLimiting(RateLimitingExtensions.WritePolicy);
        api.MapDelete("/{brief_id:guid}", DeleteBrief).WithName(nameof(DeleteBrief))
            .RequireRateLimiting(RateLimitingExtensions.WritePolicy);
        return api;
    }

    public static async Task<Results<Accepted<BriefAccepted>, ValidationProblem, ProblemHttpResult>> GenerateBrief(
        GenerateBriefRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        BriefAdmission admission,
        IValidator<GenerateBriefRequest> validator,
        ProblemMessages messages,
        HttpResponse response)
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
            var refused => Problem(refused, response),
        };
    }

    /// <summary>The full brief; 304 when <c>If-None-Match</c> names its state, held up to <c>Prefer: wait=N</c> s for a change first.</summary>
    public static async Task<Results<Ok<BriefResponse>, StatusCodeHttpResult, NotFound, ProblemHttpResult>> GetBrief(
        [FromRoute(Name = "brief_id")] Guid briefId,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        [FromHeader(Name = "Prefer")] string? prefer,
        ClaimsPrincipal user,
        BriefPolling polling,
        BriefServices services,
        HttpResponse response,
        ProblemMessages messages,
        CancellationToken cancellationToken)
    {
        var answer = await polling.Read(briefId, user.UserId(), ifNoneMatch, BriefPolling.RequestedWait(prefer), cancellationToken);
        return Answer(answer, response, messages, stored => BriefResponse.Of(stored, services.Clock.GetUtcNow()));
    }

    /// <summary>The five section results; 304 when <c>If-None-Match</c> names the brief's state.</summary>
    public static async Task<Results<Ok<SectionResults>, StatusCodeHttpResult, NotFound, ProblemHttpResult>> GetResults(
        [FromRoute(Name = "brief_id")] Guid briefId,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        ClaimsPrincipal user,
        BriefPolling polling,
        HttpResponse response,
        ProblemMessages messages)
    {
        var answer = await polling.Read(briefId, user.UserId(), ifNoneMatch, wait: null, CancellationToken.None);
        return Answer(answer, response, messages, stored => SectionResults.Of(stored.Brief));
    }

    public static async Task<Results<Accepted<BriefAccepted>, ValidationProblem, NotFound, ProblemHttpResult>> RegenerateSections(
        [FromRoute(Name = "brief_id")] Guid briefId,
        RegenerateSectionsRequest request,
        ClaimsPrincipal user,
        BriefAdmission admission,
        BriefServices services,
        IValidator<RegenerateSectionsRequest> validator,
        ProblemMessages messages,
        HttpResponse response)
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
            var refused => Problem(refused, response),
        };
    }

    public static async Task<Results<Accepted<BriefAccepted>, NotFound, ProblemHttpResult>> CancelBrief([FromRoute(Name = "brief_id")] Guid briefId,
        ClaimsPrincipal user, BriefAdmission admission, HttpResponse response) =>
        AcceptedOrMissing(await admission.Cancel(briefId, user.UserId()), response);

    public static async Task<Results<Accepted<BriefAccepted>, NotFound, ProblemHttpResult>> ArchiveBrief([FromRoute(Name = "brief_id")] Guid briefId,
        ClaimsPrincipal user, BriefAdmission admission, HttpResponse response) =>
        AcceptedOrMissing(await admission.Archive(briefId, user.UserId()), response);

    static Results<Accepted<BriefAccepted>, NotFound, ProblemHttpResult> AcceptedOrMissing(Admission admission, HttpResponse response) =>
        admission switch
        {
            Admission.Accepted accepted => Accepted(accepted),
            Admission.Missing => TypedResults.NotFound(),
            var refused => Problem(refused, response),
        };

    public static async Task<Results<NoContent, NotFound>> DeleteBrief([FromRoute(Name = "brief_id")] Guid briefId, ClaimsPrincipal user,
        BriefAdmission admission) =>
        await admission.Erase(briefId, user.UserId()) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>
    /// A poll's answer with the headers of a cached representation: its tag, and <c>private, no-cache</c> so that a cache
    /// keeps the brief for this user only and asks each time (a 304 is cheap: the brief itself is not read).
    /// </summary>
    static Results<Ok<T>, StatusCodeHttpResult, NotFound, ProblemHttpResult> Answer<T>(PollAnswer answer, HttpResponse response,
        ProblemMessages messages, Func<BriefSnapshot, T> body)
    {
        var headers = response.GetTypedHeaders();
        if (answer is PollAnswer.Found or PollAnswer.NotModified)
            headers.CacheControl = new CacheControlHeaderValue { Private = true, NoCache = true };
        if (((answer as PollAnswer.Found)?.Waited ?? (answer as PollAnswer.NotModified)?.Waited) is { } held)
            response.Headers["Preference-Applied"] = $"wait={(int)held.TotalSeconds}";

        switch (answer)
        {
            case PollAnswer.Found found:
                headers.ETag = BriefPolling.EntityTag(found.Brief.Tag);
                return TypedResults.Ok(body(found.Brief));
            case PollAnswer.NotModified notModified:
                headers.ETag = BriefPolling.EntityTag(notModified.Tag);
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            case PollAnswer.TooManyWaiting tooMany:
                var retryAfter = (int)BriefPolling.RetryAfterTooManyWaiting.TotalSeconds;
                response.Headers.RetryAfter = $"{retryAfter}";
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: messages.TooManyRequestsTitle,
                    detail: messages.TooManyLongPolls(tooMany.Max, retryAfter));
            default:
                return TypedResults.NotFound();
        }
    }

    static Accepted<BriefAccepted> Accepted(Admission.Accepted accepted)
    {
        var url = $"{BasePath}/{accepted.BriefId}";
        return TypedResults.Accepted(url, new BriefAccepted(accepted.BriefId, accepted.Status.ToWire(), accepted.Revision, url));
    }

    static ProblemHttpResult Problem(Admission refusal, HttpResponse response)
    {
        if (refusal is not Admission.Refused refused)
            throw new InvalidOperationException($"{refusal} is not a refusal");
        if (refused.RetryAfter is { } retryAfter)
            response.Headers.RetryAfter = $"{(int)retryAfter.TotalSeconds}";
        return TypedResults.Problem(statusCode: refused.StatusCode, title: refused.Title, detail: refused.Detail,
            extensions: refused.Budget is null ? null : new Dictionary<string, object?> { ["budget"] = refused.Budget });
    }
}
