using System.Security.Claims;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Problems;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace BusinessBrief.Api.Briefs;

public static class BriefsApi
{
    public const string BasePath = "/api/v1/business/brief";

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
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user,
        BriefServices services)
    {
        if (await services.GenerateValidator.ValidateAsync(request) is { IsValid: false } invalid)
            return TypedResults.ValidationProblem(invalid.ToDictionary(), title: services.Messages.ValidationTitle);
        if (idempotencyKey is not null && !IdempotencyKeys.IsWellFormed(idempotencyKey))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeys.Header] = [services.Messages.IdempotencyKeyFormat(IdempotencyKeys.MaxKeyLength)],
            }, title: services.Messages.ValidationTitle);

        var userId = user.UserId();
        var briefId = NewId.NextGuid();
        if (idempotencyKey is not null)
        {
            var claim = await services.IdempotencyKeys.Claim(userId, idempotencyKey, briefId, request);
            if (!claim.SameRequest)
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: services.Messages.IdempotencyKeyReusedTitle,
                    detail: services.Messages.IdempotencyKeyReused);
            if (!claim.IsNew)
                return Accepted(claim.BriefId, BriefStatus.Generating, revision: 1);
        }
        if (await StorageNearlyFull(services))
        {
            await ForgetQuietly(services, briefId, userId, idempotencyKey);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: services.Messages.StorageFullTitle,
                detail: services.Messages.StorageFull);
        }

        var command = new GenerateBrief
        {
            BriefId = briefId,
            UserId = userId,
            Profile = ToProfile(request),
            Language = request.Language ?? "fr",
            RequestedAt = services.Clock.GetUtcNow(),
        };
        try
        {
            // Stored before it is admitted: another request of the user counting briefs in flight sees it generating.
            await services.Store.Accept(command,
                idempotencyKey is null ? [] : [services.IdempotencyKeys.RedisKey(userId, idempotencyKey)]);
            if (!await services.InFlight.TryAdmit(userId, briefId))
            {
                await ForgetQuietly(services, briefId, userId, idempotencyKey);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
                    title: services.Messages.TooManyBriefsInFlightTitle,
                    detail: services.Messages.TooManyBriefsInFlight(services.MaxBriefsInFlight));
            }
            await services.Send(command);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            services.Logger.LogError(ex, "GenerateBrief for {BriefId} could not be stored or was not confirmed by the broker", briefId);
            await ForgetQuietly(services, briefId, userId, idempotencyKey);
            return ServiceUnavailable(services.Messages);
        }

        return Accepted(briefId, BriefStatus.Generating, revision: 1);
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
        BriefServices services)
    {
        if (await services.RegenerateValidator.ValidateAsync(request) is { IsValid: false } invalid)
            return await services.Store.FindOwned(briefId, user.UserId()) is null
                ? TypedResults.NotFound()
                : TypedResults.ValidationProblem(invalid.ToDictionary(), title: services.Messages.ValidationTitle);

        var cascade = request.Cascade == true;
        BriefState brief;
        IReadOnlyList<string> sections;
        for (var attempt = 1; ; attempt++)
        {
            var stored = await services.Store.FindOwned(briefId, user.UserId());
            if (stored is null)
                return TypedResults.NotFound();
            brief = stored.Brief;
            if (BriefStatus.IsRunning(brief) || BriefStatus.Of(brief) == BriefStatus.Used)
                return Conflict(brief, services.Messages);
            sections = brief.SectionsToRegenerate(request.Sections!);
            IReadOnlyList<string> rerun = cascade ? [.. sections, .. SectionGraph.Brief.DownstreamOf(sections)] : sections;

            var claim = await services.Store.RequestRegeneration(brief, rerun);
            if (claim == RegenerationClaim.Claimed)
                break;
            // BriefChanged: the saga wrote in between; read again. AlreadyRequested: the next read shows it running.
            if (attempt == 3)
                return Conflict(brief, services.Messages);
        }

        try
        {
            await services.Send(new Contracts.RegenerateSections
            {
                BriefId = briefId,
                RequestId = NewId.NextGuid(),
                Sections = sections,
                Cascade = cascade,
                Feedback = string.IsNullOrWhiteSpace(request.Feedback) ? null : request.Feedback.Trim(),
                RequestedAt = services.Clock.GetUtcNow(),
            });
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            services.Logger.LogError(ex, "RegenerateSections for {BriefId} was not confirmed by the broker", briefId);
            await services.Store.WithdrawRegeneration(brief);
            return ServiceUnavailable(services.Messages);
        }

        return Accepted(briefId, BriefStatus.Regenerating, brief.Revision + 1);
    }

    public static async Task<Results<Accepted<BriefAccepted>, NotFound, ProblemHttpResult>> CancelBrief([FromRoute(Name = "brief_id")] Guid briefId,
        ClaimsPrincipal user, BriefServices services)
    {
        var stored = await services.Store.FindOwned(briefId, user.UserId());
        if (stored is null)
            return TypedResults.NotFound();
        var brief = stored.Brief;
        // Cancelling twice is what a client retrying after a lost answer does: the first one stands.
        if (BriefStatus.Of(brief) == BriefStatus.Cancelled)
            return Accepted(briefId, BriefStatus.Cancelled, brief.Revision);
        if (!BriefStatus.IsRunning(brief))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: services.Messages.NothingToCancelTitle,
                detail: services.Messages.NothingToCancel(BriefStatus.Of(brief)));

        try
        {
            await services.Send(new Contracts.CancelBrief
            {
                BriefId = briefId,
                Revision = brief.Revision,
                RequestedAt = services.Clock.GetUtcNow(),
            });
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            services.Logger.LogError(ex, "CancelBrief for {BriefId} was not confirmed by the broker", briefId);
            return ServiceUnavailable(services.Messages);
        }

        return Accepted(briefId, BriefStatus.Cancelled, brief.Revision);
    }

    /// <summary>
    /// The owner's right to erase: the brief and every Redis key of it go at once; its running jobs are told to stop,
    /// and a subscriber that kept a copy learns it should erase it too.
    /// </summary>
    public static async Task<Results<NoContent, NotFound>> DeleteBrief([FromRoute(Name = "brief_id")] Guid briefId, ClaimsPrincipal user, BriefServices services)
    {
        var userId = user.UserId();
        if (await services.Store.FindOwned(briefId, userId) is null)
            return TypedResults.NotFound();

        await services.Store.Erase(briefId);
        await services.InFlight.Release(userId, briefId);
        try
        {
            await services.Publish(new BriefDeleted { BriefId = briefId, DeletedAt = services.Clock.GetUtcNow() });
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // The brief is erased all the same; its jobs run to their end and their answers are dropped.
            services.Logger.LogWarning(ex, "BriefDeleted for {BriefId} was not confirmed by the broker; its running jobs are not stopped", briefId);
        }
        return TypedResults.NoContent();
    }

    static ProblemHttpResult Conflict(BriefState brief, ProblemMessages messages) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
            title: messages.CannotRegenerateTitle,
            detail: BriefStatus.IsRunning(brief)
                ? messages.CannotRegenerateWhileRunning(BriefStatus.Of(brief))
                : messages.CannotRegenerateUsed);

    static Accepted<BriefAccepted> Accepted(Guid briefId, string status, int revision)
    {
        var url = $"{BasePath}/{briefId}";
        return TypedResults.Accepted(url, new BriefAccepted(briefId, status, revision, url));
    }

    // Redis unreachable is not "full": storing the brief then fails and answers its own 503.
    static async Task<bool> StorageNearlyFull(BriefServices services)
    {
        try
        {
            return (await services.StorageMemory.Read()).NearlyFull;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            return false;
        }
    }

    // Nothing half-done may remain: a client retrying after a 503 or a 429 must be able to start the brief afresh.
    static async Task ForgetQuietly(BriefServices services, Guid briefId, string userId, string? idempotencyKey)
    {
        try
        {
            await services.Store.Forget(briefId);
            await services.InFlight.Release(userId, briefId);
            if (idempotencyKey is not null)
                await services.IdempotencyKeys.Release(userId, idempotencyKey);
        }
        catch (Exception ex)
        {
            // Redis itself is down: the accepted record expires on its own, and no saga was started.
            services.Logger.LogWarning(ex, "Could not forget the unsent brief {BriefId}", briefId);
        }
    }

    static ProblemHttpResult ServiceUnavailable(ProblemMessages messages) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: messages.UnavailableTitle, detail: messages.NotAccepted);

    static BusinessProfile ToProfile(GenerateBriefRequest r) => new()
    {
        CoachingSessionId = r.CoachingSessionId!.Trim(),
        BusinessName = r.BusinessName!.Trim(),
        Vision = r.Vision!.Trim(),
        Mission = r.Mission!.Trim(),
        TargetAudience = r.TargetAudience!.Trim(),
        Differentiation = r.Differentiation!.Trim(),
        ValueProposition = r.ValueProposition!.Trim(),
        Sector = r.Sector!.Trim(),
        Location = new BusinessLocation { City = r.Location!.City!.Trim(), Country = r.Location.Country!.Trim() },
    };
}
