using MassTransit;

namespace BusinessBrief.Persistence.Redis;

/// <summary>How saga instances of one type are laid out in Redis.</summary>
public class RedisSagaRepositoryOptions<TSaga>
    where TSaga : class, ISagaVersion
{
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromHours(2);
    public const int DefaultCompressionThreshold = 100 * 1024;

    public RedisSagaRepositoryOptions(string keyPrefix, Func<TSaga, TimeSpan> timeToLive, int compressionThreshold,
        SagaDocument<TSaga> document, Func<TSaga, string>? owner = null, string? ownerProperty = null)
    {
        KeyPrefix = keyPrefix;
        TimeToLive = timeToLive;
        CompressionThreshold = compressionThreshold;
        Document = document;
        Owner = owner;
        OwnerProperty = ownerProperty;
    }

    public string KeyPrefix { get; }

    /// <summary>Sliding lifetime of an instance, renewed by every write and every read through <see cref="RedisSagaStore{TSaga}"/>.</summary>
    public Func<TSaga, TimeSpan> TimeToLive { get; }

    /// <summary>Documents (each field of <see cref="Document"/>) larger than this many UTF-8 bytes are stored gzip-compressed.</summary>
    public int CompressionThreshold { get; }

    public SagaDocument<TSaga> Document { get; }

    /// <summary>The user an instance belongs to, kept in the hash field <see cref="OwnerField"/>; null when instances have none.</summary>
    public Func<TSaga, string>? Owner { get; }

    /// <summary>The JSON property of the documents that names the owner: instances stored before <see cref="OwnerField"/> existed have only that.</summary>
    public string? OwnerProperty { get; }

    public const string OwnerField = "owner";

    /// <summary>
    /// The braces make the id a Redis Cluster hash tag: every key of one instance lands on the same slot,
    /// so the Lua scripts stay valid on a cluster.
    /// </summary>
    public string Key(Guid correlationId) => $"{KeyPrefix}{{{correlationId}}}";

    /// <summary>Marks an erased instance for a while, so that no late message can create it again; same hash tag.</summary>
    public string TombstoneKey(Guid correlationId) => $"{Key(correlationId)}:erased";
}
