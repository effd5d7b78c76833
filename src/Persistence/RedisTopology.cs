using StackExchange.Redis;

namespace BusinessBrief.Persistence;

public static class RedisTopology
{
    /// <summary>
    /// The masters the client is connected to now: one on a single Redis, each holding a share of the keys on a Redis
    /// Cluster. Replicas are left out, as they hold copies.
    /// </summary>
    public static IReadOnlyList<IServer> ConnectedMasters(this IConnectionMultiplexer redis) =>
        redis.GetServers().Where(server => server.IsConnected && !server.IsReplica).ToList();
}
