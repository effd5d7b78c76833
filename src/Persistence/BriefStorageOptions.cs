using System.IO.Hashing;
using BusinessBrief.Persistence.Redis;

namespace BusinessBrief.Persistence;

/// <summary>Where and for how long briefs live in Redis. Shared by the orchestrator (writes) and the API (reads).</summary>
public class BriefStorageOptions
{
    public const string SectionName = "BriefStorage";

    public string KeyPrefix { get; set; } = "bb:brief:";

    /// <summary>Prefix of the keys kept per user rather than per brief: idempotency keys, briefs in flight, token budgets, preview sessions.</summary>
    public string UserKeyPrefix { get; set; } = "bb:";

    /// <summary>Sliding lifetime: every saga write and every API read renews it.</summary>
    public TimeSpan TimeToLive { get; set; } = RedisSagaRepositoryOptions<BriefState>.DefaultTimeToLive;

    /// <summary>Lifetime of a brief a website was created from.</summary>
    public TimeSpan UsedRetention { get; set; } = TimeSpan.FromDays(30);

    public int CompressionThresholdBytes { get; set; } = RedisSagaRepositoryOptions<BriefState>.DefaultCompressionThreshold;

    /// <summary>
    /// How long an erased brief's tombstone (a key holding nothing but its id) stops a <c>GenerateBrief</c> still
    /// queued for it from creating it again. Longer than any command waits in the broker.
    /// </summary>
    public TimeSpan ErasureTombstoneLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a browser preview session lasts, from its opening: a stolen cookie is worth minutes, not hours.</summary>
    public TimeSpan PreviewSessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many shards the index of briefs with jobs due is split into, each a sorted set with a hash tag of its own, so that
    /// on a Redis Cluster it is spread over the masters. Changing it strands the entries of the shards it drops or moves:
    /// change it only while no brief is generating (the next answer of a brief watches it again anyway).
    /// </summary>
    public int DeadlineIndexShards { get; set; } = 16;

    /// <summary>How long a watchdog's claim on a due brief lasts: if its orchestrator dies before sending the check, another takes it then.</summary>
    public TimeSpan DeadlineClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The shard of the deadline index that holds a brief, the same in every process.</summary>
    public string DeadlineIndexKey(Guid briefId) =>
        DeadlineIndexShardKey((int)(XxHash32.HashToUInt32(briefId.ToByteArray()) % (uint)DeadlineIndexShards));

    public string DeadlineIndexShardKey(int shard) => $"{KeyPrefix}deadlines:{{{shard}}}";

    /// <summary>
    /// The sorted set of a user's briefs Redis holds (brief ids by creation time), so that their list shows briefs the archive
    /// does not have yet; ids whose brief is gone are pruned when the list is read.
    /// </summary>
    public string UserBriefsKey(string userId) => $"{UserKeyPrefix}briefs:{userId}";

    /// <summary>
    /// The pub/sub channel of one brief's changes; the prefix keeps stores sharing one Redis from hearing each other, and the
    /// brief's hash tag routes it, sharded, to the master that holds the brief.
    /// </summary>
    public string ChangeChannel(Guid briefId) => $"{KeyPrefix}changes:{{{briefId}}}";

    public TimeSpan TimeToLiveOf(BriefState brief) => brief.Status == BriefStatus.Used ? UsedRetention : TimeToLive;

    public void ApplyTo(RedisSagaRepositoryConfigurator<BriefState> repository)
    {
        repository.KeyPrefix = KeyPrefix;
        repository.TimeToLive = TimeToLiveOf;
        repository.CompressionThreshold = CompressionThresholdBytes;
        // An answer changes one section: the four others are not sent to Redis again with it.
        repository.StoreEntriesApart(brief => brief.Sections);
        repository.Owner = brief => brief.UserId;
    }
}
