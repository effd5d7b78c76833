using Npgsql;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>Which storage failures callers should wait out, and which only say that something is wrong with Redis.</summary>
public static class StorageFaults
{
    // Redis answers these while it restarts, fails over or is full: the same command succeeds later. NOREPLICAS: a master
    // with min-replicas-to-write (cluster mode) refuses writes until a replica is back, after a failover for instance.
    static readonly string[] PassingServerErrors = ["LOADING", "READONLY", "MASTERDOWN", "BUSY", "OOM", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"];

    /// <summary>
    /// Redis out of reach or not serving yet, however the failure arrives: MassTransit and ASP.NET Core wrap exceptions
    /// thrown inside their pipelines, and a command left unanswered fails with <see cref="RedisTimeoutException"/>, a
    /// <see cref="TimeoutException"/> rather than a <see cref="RedisException"/>. The archive (PostgreSQL) out of reach counts
    /// too: a brief only it holds cannot be read. Clients should retry (503).
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException || IsArchiveUnavailable(exception)
        || exception is RedisServerException server && PassingServerErrors.Any(code => server.Message.StartsWith(code, StringComparison.Ordinal))
        || exception.InnerException is { } inner && IsUnavailable(inner);

    /// <summary>Any Redis failure, wrapped or not: what the saga holds its message for rather than faulting it.</summary>
    public static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or RedisTimeoutException || exception.InnerException is { } inner && IsRedisFailure(inner);

    /// <summary>PostgreSQL out of reach, restarting or refusing connections for now: the same statement succeeds later.</summary>
    public static bool IsArchiveUnavailable(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } || exception.InnerException is { } inner && IsArchiveUnavailable(inner);
}
