using BusinessBrief.Api.Problems;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Api.Briefs;

/// <summary>
/// Decides whether a request to start, regenerate, cancel or erase a brief goes ahead, and makes it happen: what users
/// will poll is recorded first, then the command leaves for the orchestrator. When it cannot leave (the broker did not
/// confirm it in time, Redis is away), nothing half-done remains, so the client's retry starts afresh.
/// </summary>
public class BriefAdmission(
    BriefStore store,
    IdempotencyKeys idempotencyKeys,
    BriefsInFlight inFlight,
    TokenBudgets tokenBudgets,
    BriefMetrics metrics,
    BriefChangeFeed changes,
    RedisMemory storageMemory,
    ISendEndpointProvider sendEndpoints,
    IPublishEndpoint publishEndpoint,
    BrokerConfirmDeadline confirmDeadline,
    ProblemMessages messages,
    IOptions<BriefApiOptions> options,
    TimeProvider clock,
    ILogger<BriefAdmission> logger)
{
    /// <summary>Regenerations racing with the saga's own writes re-read the brief this many times before answering 409.</summary>
    const int RegenerationClaimAttempts = 3;

    public async Task<Admission> Generate(string userId, GenerateBriefRequest request, string? idempotencyKey)
    {
        var briefId = NewId.NextGuid();
        if (idempotencyKey is not null)
        {
            var claim = await idempotencyKeys.Claim(userId, idempotencyKey, briefId, request);
            if (!claim.SameRequest)
                return new Admission.Refused(StatusCodes.Status422UnprocessableEntity, messages.IdempotencyKeyReusedTitle, messages.IdempotencyKeyReused);
            if (!claim.IsNew)
                return new Admission.Accepted(claim.BriefId, BriefStatus.Generating, Revision: 1);
        }

        var command = new GenerateBrief
        {
            BriefId = briefId,
            UserId = userId,
            Profile = request.ToProfile(),
            Language = request.Language ?? "fr",
            RequestedAt = clock.GetUtcNow(),
        };
        var admission = await Start(command, idempotencyKey);
        if (admission is not Admission.Accepted)
            await ForgetQuietly(command, idempotencyKey);
        return admission;
    }

    async Task<Admission> Start(GenerateBrief command, string? idempotencyKey)
    {
        // After the idempotency key: a client retrying a brief it started before the budget was spent gets that brief.
        if (await BudgetSpent(command.UserId) is { } spent)
            return spent;
        if (await storageMemory.IsNearlyFull())
            return new Admission.Refused(StatusCodes.Status503ServiceUnavailable, messages.StorageFullTitle, messages.StorageFull);
        try
        {
            // Stored before it is admitted: another request of the user counting briefs in flight sees it generating.
            await store.Accept(command, idempotencyKey is null ? [] : [idempotencyKeys.RedisKey(command.UserId, idempotencyKey)]);
            var max = options.Value.MaxBriefsInFlight;
            if (!await inFlight.TryAdmit(command.UserId, command.BriefId, max))
                return new Admission.Refused(StatusCodes.Status429TooManyRequests, messages.TooManyBriefsInFlightTitle,
                    messages.TooManyBriefsInFlight(max));
            await Send(command);
            return new Admission.Accepted(command.BriefId, BriefStatus.Generating, Revision: 1);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            logger.LogError(ex, "GenerateBrief for {BriefId} could not be stored or was not confirmed by the broker", command.BriefId);
            return NotAccepted();
        }
    }

    public async Task<Admission> Regenerate(Guid briefId, string userId, RegenerateSectionsRequest request)
    {
        var cascade = request.Cascade == true;
        if (await BudgetSpent(userId) is { } spent)
            return await store.FindOwned(briefId, userId) is null ? new Admission.Missing() : spent;
        var (refusal, brief, sections) = await ClaimRegeneration(briefId, userId, request.Sections!, cascade);
        if (refusal is not null)
            return refusal;
        // A regeneration spends sub-agent calls as a generation does: the brief holds a place in flight until it is ready again.
        var max = options.Value.MaxBriefsInFlight;
        if (!await inFlight.TryAdmit(userId, briefId, max))
        {
            await store.WithdrawRegeneration(brief!);
            return new Admission.Refused(StatusCodes.Status429TooManyRequests, messages.TooManyBriefsInFlightTitle, messages.TooManyBriefsInFlight(max));
        }

        try
        {
            await Send(new RegenerateSections
            {
                BriefId = briefId,
                RequestId = NewId.NextGuid(),
                Sections = sections,
                Cascade = cascade,
                Feedback = string.IsNullOrWhiteSpace(request.Feedback) ? null : request.Feedback.Trim(),
                RequestedAt = clock.GetUtcNow(),
            });
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            logger.LogError(ex, "RegenerateSections for {BriefId} was not confirmed by the broker", briefId);
            await store.WithdrawRegeneration(brief!);
            await inFlight.Release(userId, briefId);
            return NotAccepted();
        }
        // The pending regeneration is the API's own write: its watchers (event streams, long polls) learn of it now.
        changes.Announce(briefId);
        return new Admission.Accepted(briefId, BriefStatus.Regenerating, brief!.Revision + 1);
    }

    /// <summary>Marks the brief as regenerating before the command leaves, so that a poll right after the 202 sees it.</summary>
    async Task<(Admission? Refusal, BriefState? Brief, IReadOnlyList<string> Sections)> ClaimRegeneration(Guid briefId, string userId,
        IReadOnlyList<string> requested, bool cascade)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await store.FindOwned(briefId, userId) is not { } stored)
                return (new Admission.Missing(), null, []);
            var brief = stored.Brief;
            if (stored.Status.IsRunning() || stored.Status == BriefStatus.Used)
                return (CannotRegenerate(stored.Status), brief, []);

            var sections = brief.SectionsToRegenerate(requested);
            IReadOnlyList<string> rerun = cascade ? [.. sections, .. SectionGraph.Brief.DownstreamOf(sections)] : sections;
            // Only the archive holds it: back into Redis first, where the saga runs the regeneration as usual; read again.
            if (stored.ExpiresIn is null)
                await store.Restore(brief);
            // BriefChanged: the saga wrote in between, read again. AlreadyRequested: the next read shows it running.
            else if (await store.RequestRegeneration(brief, rerun) == RegenerationClaim.Claimed)
                return (null, brief, sections);
            if (attempt == RegenerationClaimAttempts)
                return (CannotRegenerate(stored.Status), brief, []);
        }
    }

    public async Task<Admission> Cancel(Guid briefId, string userId)
    {
        if (await store.FindOwned(briefId, userId) is not { } stored)
            return new Admission.Missing();
        var revision = stored.Brief.Revision;
        // Cancelling twice is what a client retrying after a lost answer does: the first one stands.
        if (stored.Status == BriefStatus.Cancelled)
            return new Admission.Accepted(briefId, BriefStatus.Cancelled, revision);
        if (!stored.Status.IsRunning())
            return new Admission.Refused(StatusCodes.Status409Conflict, messages.NothingToCancelTitle, messages.NothingToCancel(stored.Status.ToWire()));

        try
        {
            await Send(new CancelBrief { BriefId = briefId, Revision = revision, RequestedAt = clock.GetUtcNow() });
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            logger.LogError(ex, "CancelBrief for {BriefId} was not confirmed by the broker", briefId);
            return NotAccepted();
        }
        return new Admission.Accepted(briefId, BriefStatus.Cancelled, revision);
    }

    /// <summary>
    /// Moves a finished brief to the archive at once (its owner asked), freeing its Redis memory: answered once PostgreSQL
    /// holds it, so that nothing is lost if Redis drops it. A brief only the archive holds is there already. A running one is
    /// refused: the saga needs it in Redis, and it is archived on its own when its revision ends.
    /// </summary>
    public async Task<Admission> Archive(Guid briefId, string userId)
    {
        if (await store.FindOwned(briefId, userId) is not { } stored)
            return new Admission.Missing();
        if (stored.Status.IsRunning())
            return new Admission.Refused(StatusCodes.Status409Conflict, messages.CannotArchiveTitle, messages.CannotArchiveWhileRunning(stored.Status.ToWire()));

        if (stored.ExpiresIn is not null && !await store.MoveToArchive(stored.Brief))
            logger.LogInformation("Brief {BriefId} changed while it was archived: Redis keeps it until its new state is archived", briefId);
        return new Admission.Accepted(briefId, stored.Status, stored.Brief.Revision);
    }

    /// <summary>
    /// The owner's right to erase: the brief and every Redis key of it go at once; its running jobs are told to stop, and a
    /// subscriber that kept a copy learns it should erase it too. True when there was such a brief.
    /// </summary>
    public async Task<bool> Erase(Guid briefId, string userId)
    {
        if (await store.FindOwned(briefId, userId) is null)
            return false;

        await store.Erase(briefId, userId);
        await inFlight.Release(userId, briefId);
        changes.Announce(briefId);
        try
        {
            await publishEndpoint.Publish(new BriefDeleted { BriefId = briefId, DeletedAt = clock.GetUtcNow() }, confirmDeadline.Start());
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // The brief is erased all the same; its jobs run to their end and their answers are dropped.
            logger.LogWarning(ex, "BriefDeleted for {BriefId} was not confirmed by the broker; its running jobs are not stopped", briefId);
        }
        return true;
    }

    /// <summary>Returns once the broker confirmed the command (publisher confirms), or throws when it does not in time.</summary>
    async Task Send<T>(T command)
        where T : class
    {
        var endpoint = await sendEndpoints.GetSendEndpoint(Queues.Address(Queues.Briefs));
        await endpoint.Send(command, confirmDeadline.Start());
    }

    // Nothing half-done may remain: a client retrying after a 503 or a 429 must be able to start the brief afresh.
    async Task ForgetQuietly(GenerateBrief command, string? idempotencyKey)
    {
        try
        {
            await store.Forget(command.BriefId);
            await inFlight.Release(command.UserId, command.BriefId);
            if (idempotencyKey is not null)
                await idempotencyKeys.Release(command.UserId, idempotencyKey);
        }
        catch (Exception ex)
        {
            // Redis itself is down: the accepted record expires on its own, and no saga was started.
            logger.LogWarning(ex, "Could not forget the unsent brief {BriefId}", command.BriefId);
        }
    }

    /// <summary>The refusal when the user's or everyone's token budget for today is spent; it resets at midnight UTC.</summary>
    async Task<Admission.Refused?> BudgetSpent(string userId)
    {
        var limits = options.Value.TokenBudgets;
        if (await tokenBudgets.Spent(userId, limits.PerUserPerDay, limits.GlobalPerDay) is not { } spent)
            return null;
        var budget = spent.Budget == TokenBudget.User ? "user" : "global";
        metrics.BudgetRefused(budget);
        var retryAfter = TimeSpan.FromSeconds(Math.Ceiling(spent.ResetsIn.TotalSeconds));
        return new Admission.Refused(StatusCodes.Status429TooManyRequests, messages.TokenBudgetSpentTitle,
            spent.Budget == TokenBudget.User ? messages.UserTokenBudgetSpent(spent.Limit) : messages.GlobalTokenBudgetSpent,
            retryAfter, budget);
    }

    Admission.Refused CannotRegenerate(BriefStatus status) =>
        new(StatusCodes.Status409Conflict, messages.CannotRegenerateTitle,
            status.IsRunning() ? messages.CannotRegenerateWhileRunning(status.ToWire()) : messages.CannotRegenerateUsed);

    Admission.Refused NotAccepted() =>
        new(StatusCodes.Status503ServiceUnavailable, messages.UnavailableTitle, messages.NotAccepted);
}
