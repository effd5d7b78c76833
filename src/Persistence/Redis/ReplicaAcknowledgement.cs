using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

/// <summary>How writes that must survive a failover wait for a replica (<c>Redis</c> section).</summary>
public class RedisReplicationOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// How long a saga write, an erasure or an idempotency claim waits for one replica to acknowledge it (<c>WAIT 1</c>);
    /// 0, the default, waits for none, as a single Redis without replicas needs. A Redis Cluster with replicas sets it.
    /// </summary>
    public int ReplicaAckTimeoutMs { get; set; }
}

/// <summary>
/// Replication is asynchronous: a write its master acknowledged can vanish with that master if no replica had it yet.
/// After such a write, <c>WAIT 1</c> on the connection to the key's master (WAIT is refused inside a script) holds the caller
/// until a replica has it. A replica that does not answer in time leaves the write's fate unknown, as a timeout does.
/// </summary>
public class ReplicaAcknowledgement(IConnectionMultiplexer redis, IOptions<RedisReplicationOptions> options)
{
    /// <summary>Returns once a replica holds every write sent so far to the master of <paramref name="key"/>; throws <see cref="RedisTimeoutException"/> otherwise.</summary>
    public async Task Confirm(RedisKey key)
    {
        var timeout = options.Value.ReplicaAckTimeoutMs;
        if (timeout <= 0)
            return;
        // WAIT counts what this connection wrote: the one the multiplexer keeps to the key's master, which carried the write.
        var master = redis.GetServer(key);
        var replicas = (long)await master.ExecuteAsync("WAIT", 1, timeout).ConfigureAwait(false);
        if (replicas < 1)
            throw new RedisTimeoutException(CommandFlags.None, $"No replica of {master.EndPoint} acknowledged the write of {key} within {timeout} ms: "
                + "it may be lost if its master fails now", CommandStatus.Sent);
    }
}
