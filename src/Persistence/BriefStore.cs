using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// The briefs as users see them, straight from the saga's Redis document, so a poll never touches the broker.
/// Requests the API accepted but the saga has not applied yet are part of what users see: right after a 202,
/// a poll answers <c>generating</c> (or <c>regenerating</c>), never 404 or the previous state. A brief Redis no longer holds
/// (expired, evicted, flushed) is read from the archive, so every read of the API falls back to it in this one place.
/// </summary>
public class BriefStore(RedisSagaStore<BriefState> sagas, IConnectionMultiplexer redis, RedisSagaRepositoryOptions<BriefState> layout,
    BriefArchive archive, IOptions<BriefStorageOptions> options, ReplicaAcknowledgement replicas)
{
    const string PendingRevision = "pending_revision";
    const string PendingSections = "pending_sections";
    /// <summary>Keys outside the brief's hash that hold something of it, erased with it; one per line.</summary>
    const string ErasedWith = "erased_with";

    // Only one regeneration per revision, and only against the version of the brief the caller checked.
    static readonly LuaScript RequestRegenerationScript = LuaScript.Prepare("""
        local version = redis.call('HGET', @key, 'version')
        if not version or tonumber(version) ~= tonumber(@version) then return 0 end
        local pending = redis.call('HGET', @key, 'pending_revision')
        if pending and tonumber(pending) >= tonumber(@revision) then return -1 end
        redis.call('HSET', @key, 'pending_revision', @revision, 'pending_sections', @sections)
        return 1
        """);

    static readonly LuaScript WithdrawRegenerationScript = LuaScript.Prepare("""
        if tonumber(redis.call('HGET', @key, 'pending_revision')) == tonumber(@revision) then
            redis.call('HDEL', @key, 'pending_revision', 'pending_sections')
        end
        return 1
        """);

    // Redis lets a brief go only as it was archived: the same version, and no regeneration accepted since (its command
    // would find no brief). A pending_revision the saga has caught up with stays in the hash, and does not count.
    static readonly LuaScript DropArchivedScript = LuaScript.Prepare("""
        local version = redis.call('HGET', @key, 'version')
        if not version or tonumber(version) ~= tonumber(@version) then return 0 end
        local pending = redis.call('HGET', @key, 'pending_revision')
        if pending and tonumber(pending) > tonumber(@revision) then return 0 end
        redis.call('DEL', @key)
        return 1
        """);

    /// <summary>
    /// Records an accepted request before its command leaves, so a poll can never miss it; <paramref name="erasedWith"/>
    /// names keys of the caller's that refer to the brief (its idempotency key), so that erasing the brief erases them.
    /// </summary>
    public async Task<bool> Accept(GenerateBrief request, params string[] erasedWith)
    {
        if (!await sagas.Reserve(request.BriefId, JsonSerializer.SerializeToUtf8Bytes(request, SagaJson.Options), options.Value.TimeToLive,
                request.UserId))
            return false;
        if (erasedWith.Length > 0)
            await redis.GetDatabase().HashSetAsync(layout.Key(request.BriefId), ErasedWith, string.Join('\n', erasedWith));
        await ListForOwner(request.UserId, request.BriefId, request.RequestedAt);
        return true;
    }

    /// <summary>
    /// Adds the brief to its owner's list of live briefs, on each new revision: the list expires a lifetime after the last one,
    /// and by then every revision it named has ended and is archived.
    /// </summary>
    async Task ListForOwner(string userId, Guid briefId, DateTimeOffset createdAt)
    {
        var database = redis.GetDatabase();
        var key = options.Value.UserBriefsKey(userId);
        // Sent together: one round trip more on every submission, not two; the connection keeps their order.
        await Task.WhenAll(database.SortedSetAddAsync(key, briefId.ToString(), createdAt.ToUnixTimeMilliseconds()),
            database.KeyExpireAsync(key, options.Value.TimeToLive));
    }

    /// <summary>
    /// Erases the brief and every key that refers to it: its document, the keys recorded by <see cref="Accept"/>, its
    /// deadline entry and its place in its owner's list. A tombstone (<see cref="BriefStorageOptions.ErasureTombstoneLifetime"/>) keeps late messages from
    /// creating it again. Keys of other brief hash tags are removed one by one: a script may touch only one brief's slot.
    /// The erasure is confirmed by a replica of the brief's master (<see cref="ReplicaAcknowledgement"/>).
    /// </summary>
    public async Task Erase(Guid briefId, string userId)
    {
        var settings = options.Value;
        var database = redis.GetDatabase();
        var kept = await sagas.Erase(briefId, settings.ErasureTombstoneLifetime, ErasedWith);
        if (kept.TryGetValue(ErasedWith, out var keys))
            await Task.WhenAll(((string)keys!).Split('\n').Select(key => database.KeyDeleteAsync(key)));
        await database.SortedSetRemoveAsync(settings.DeadlineIndexKey(briefId), briefId.ToString());
        await database.SortedSetRemoveAsync(settings.UserBriefsKey(userId), briefId.ToString());
        // Last, so that a replica missing the erasure fails the call after every key is gone from the masters: the retry is cheap.
        await replicas.Confirm(layout.Key(briefId));
    }

    /// <summary>True while the tombstone of an erased brief lasts: late messages must not create it again.</summary>
    public Task<bool> IsErased(Guid briefId) => sagas.IsErased(briefId);

    /// <summary>The brief as the saga last stored it, whoever owns it, without renewing its lifetime; null when Redis lacks it.</summary>
    public Task<BriefState?> Find(Guid briefId) => sagas.Load(briefId);

    /// <summary>
    /// The brief as <see cref="Find"/> reads it, for the archive: its own fields read (its sections left unread) and the
    /// whole document as the saga stored it, which the archive keeps without parsing it again.
    /// </summary>
    public Task<SagaCopy<BriefState>?> FindToArchive(Guid briefId) => sagas.LoadCopy(briefId);

    /// <summary>
    /// Puts a brief read from the archive back into Redis, so that the saga finds it as it left it; false when Redis holds
    /// it already or it was erased.
    /// </summary>
    public async Task<bool> Restore(BriefState archived)
    {
        if (!await sagas.Restore(archived))
            return false;
        await ListForOwner(archived.UserId, archived.CorrelationId, archived.CreatedAt);
        return true;
    }

    /// <summary>
    /// Brings back from the archive a brief that left Redis while ready, so that the saga can record a website built from it;
    /// false when Redis holds it, it was erased, or the archive holds no ready revision of it.
    /// </summary>
    public async Task<bool> RestoreReadyFromArchive(Guid briefId) =>
        !await sagas.IsErased(briefId) && await archive.FindLatest(briefId) is { Status: BriefStatus.Ready } brief && await Restore(brief);

    /// <summary>
    /// Moves a finished brief to the archive: stores it there, and once the archive holds that very state, frees its Redis
    /// hash, unless the brief changed meanwhile (made <c>used</c>, a regeneration accepted): then Redis keeps it, and its own
    /// events archive the new state. Reads fall back to the archive. True when Redis let it go.
    /// </summary>
    public async Task<bool> MoveToArchive(BriefState brief)
    {
        await archive.Store(brief);
        if (!await archive.Holds(brief.CorrelationId, brief.Revision, brief.Version))
            return false;
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(DropArchivedScript, new
        {
            key = (RedisKey)layout.Key(brief.CorrelationId),
            version = brief.Version,
            revision = brief.Revision,
        }) == 1;
    }

    /// <summary>Forgets an accepted request whose command could not be sent.</summary>
    public Task Forget(Guid briefId) => sagas.ReleaseReservation(briefId);

    /// <summary>
    /// Marks the brief as regenerating <paramref name="sections"/> in its next revision, unless another
    /// regeneration got there first or the brief changed since <paramref name="seen"/> was read.
    /// </summary>
    public async Task<RegenerationClaim> RequestRegeneration(BriefState seen, IReadOnlyList<string> sections)
    {
        var claimed = (int)await redis.GetDatabase().ScriptEvaluateAsync(RequestRegenerationScript, new
        {
            key = (RedisKey)layout.Key(seen.CorrelationId),
            version = seen.Version,
            revision = seen.Revision + 1,
            sections = string.Join(',', sections),
        });
        if (claimed == 1)
            await ListForOwner(seen.UserId, seen.CorrelationId, seen.CreatedAt);
        return claimed switch
        {
            1 => RegenerationClaim.Claimed,
            0 => RegenerationClaim.BriefChanged,
            _ => RegenerationClaim.AlreadyRequested,
        };
    }

    /// <summary>Withdraws a regeneration request whose command could not be sent.</summary>
    public Task WithdrawRegeneration(BriefState seen) =>
        redis.GetDatabase().ScriptEvaluateAsync(WithdrawRegenerationScript, new
        {
            key = (RedisKey)layout.Key(seen.CorrelationId),
            revision = seen.Revision + 1,
        });

    /// <summary>
    /// The brief if it exists and belongs to <paramref name="userId"/>; renews its lifetime then only. Someone else's brief
    /// is read as a missing one: nothing renewed, nothing sent back by Redis. Missing from Redis, it is read from the archive.
    /// </summary>
    public async Task<BriefSnapshot?> FindOwned(Guid briefId, string userId) =>
        await sagas.ReadOwnedAndRenew(briefId, userId, PendingRevision, PendingSections) is { } stored
            ? Snapshot(stored)
            : await FindArchived(briefId, userId);

    /// <summary>The brief as <see cref="FindOwned"/> reads it, but only from Redis: null once Redis no longer holds it.</summary>
    public async Task<BriefState?> FindOwnedInRedis(Guid briefId, string userId) =>
        await sagas.ReadOwnedAndRenew(briefId, userId, PendingRevision, PendingSections) is { } stored ? Snapshot(stored)?.Brief : null;

    static BriefSnapshot? Snapshot(StoredSaga<BriefState> stored)
    {
        var brief = stored.Instance ?? FromReservation(stored.Reservation);
        if (brief is null)
            return null;

        ApplyPendingRegeneration(brief, stored.Fields);
        return new BriefSnapshot(brief, stored.ExpiresIn, StateTag(stored.Instance?.Version ?? 0, stored.Fields));
    }

    /// <summary>
    /// The <see cref="BriefSnapshot.Tag"/> of the brief if it exists and belongs to <paramref name="userId"/>, without reading
    /// the brief itself; renews its lifetime as <see cref="FindOwned"/> does.
    /// </summary>
    public async Task<string?> FindOwnedTag(Guid briefId, string userId) =>
        await sagas.ReadOwnedStamp(briefId, userId, PendingRevision) is { } stamp
            ? StateTag(stamp.Version, stamp.Fields)
            : (await FindArchived(briefId, userId))?.Tag;

    // Redis's tombstone covers the moment between an erasure and the archive consumer erasing its rows too.
    async Task<BriefSnapshot?> FindArchived(Guid briefId, string userId) =>
        !await sagas.IsErased(briefId) && await archive.FindOwned(briefId, userId) is { } brief
            ? new BriefSnapshot(brief, ExpiresIn: null, $"archived-{brief.Version}")
            : null;

    // Version 0 is the API's reservation, before the saga stored the brief; a pending regeneration shows without a new version.
    static string StateTag(int version, IReadOnlyDictionary<string, RedisValue> fields) =>
        fields.TryGetValue(PendingRevision, out var pending) ? $"{version}-r{pending}" : $"{version}";

    static BriefState? FromReservation(RedisValue? reservation)
    {
        if (reservation is not { IsNull: false } value)
            return null;

        var request = JsonSerializer.Deserialize<GenerateBrief>((byte[])value!, SagaJson.Options)!;
        return new BriefState
        {
            CorrelationId = request.BriefId,
            Status = BriefStatus.Generating,
            UserId = request.UserId,
            Profile = request.Profile,
            Language = request.Language,
            Revision = 1,
            Sections = SectionNames.All.ToDictionary(s => s, _ => new SectionState { Status = SectionStatus.Pending }),
            CreatedAt = request.RequestedAt,
            UpdatedAt = request.RequestedAt,
        };
    }

    static void ApplyPendingRegeneration(BriefState brief, IReadOnlyDictionary<string, RedisValue> fields)
    {
        if (!fields.TryGetValue(PendingRevision, out var pending) || (int)pending <= brief.Revision || brief.Status.IsRunning())
            return;

        brief.Status = BriefStatus.Regenerating;
        brief.Revision = (int)pending;
        foreach (var name in ((string)fields[PendingSections]!).Split(','))
            if (brief.Sections.TryGetValue(name, out var section))
                section.Status = SectionStatus.Pending;
    }
}

public enum RegenerationClaim
{
    Claimed,
    AlreadyRequested,
    BriefChanged,
}

/// <summary>
/// A brief as a user's read found it, with the lifetime it has left after the read renewed it: null for a brief read from the
/// archive, which Redis no longer holds. <paramref name="Tag"/> names the stored state read: it changes with every write of
/// the saga and every regeneration the API accepted.
/// </summary>
public record BriefSnapshot(BriefState Brief, TimeSpan? ExpiresIn, string Tag)
{
    public BriefStatus Status => Brief.Status;
}

public static class BriefStoreServiceCollectionExtensions
{
    /// <summary>
    /// Redis connection, storage options and everything of a brief kept in Redis besides the saga repository, and the
    /// archive its reads fall back to.
    /// </summary>
    public static IServiceCollection AddBriefStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRedisConnection(configuration);
        services.AddBriefArchive(configuration);
        services.AddOptions<BriefStorageOptions>().Bind(configuration.GetSection(BriefStorageOptions.SectionName));
        services.AddSingleton(sp =>
        {
            var repository = new RedisSagaRepositoryConfigurator<BriefState>();
            sp.GetRequiredService<IOptions<BriefStorageOptions>>().Value.ApplyTo(repository);
            return repository.BuildOptions();
        });
        services.AddSingleton<RedisSagaStore<BriefState>>();
        services.AddSingleton<BriefStore>();
        services.AddSingleton<BriefLists>();
        services.AddSingleton<IdempotencyKeys>();
        services.AddSingleton<BriefsInFlight>();
        services.AddSingleton<PreviewSessions>();
        services.AddSingleton<TokenBudgets>();
        services.AddSingleton<RequestRates>();
        services.AddSingleton<ITokenCharges>(sp => sp.GetRequiredService<TokenBudgets>());
        services.AddSingleton<BriefChangeFeed>();
        services.AddSingleton<ISectionDeadlineIndex, RedisSectionDeadlineIndex>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisMemory>();
        return services;
    }
}
