using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>Which failures mean "the brief store is out of reach for now", so callers can retry or answer 503.</summary>
public static class StorageFaults
{
    /// <summary>
    /// A Redis failure, however it arrives: MassTransit and ASP.NET Core wrap exceptions thrown inside their pipelines
    /// (EventExecutionException → RedisConnectionException → IOException …), and a command left unanswered fails with
    /// <see cref="RedisTimeoutException"/>, a <see cref="TimeoutException"/> rather than a <see cref="RedisException"/>.
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is RedisException or RedisTimeoutException || exception.InnerException is { } inner && IsUnavailable(inner);
}
