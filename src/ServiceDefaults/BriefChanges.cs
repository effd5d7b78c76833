using StackExchange.Redis;

namespace BusinessBrief.ServiceDefaults;

/// <summary>
/// The Redis pub/sub channel on which the orchestrator says "this brief changed" once it stored a new state, and
/// from which every API instance wakes the live progress streams of that brief. A signal only: the streams read
/// the brief itself, so a lost message costs a few seconds of delay, never a wrong state.
/// </summary>
public static class BriefChanges
{
    /// <param name="keyPrefix">The storage key prefix, so that stores sharing one Redis do not hear each other.</param>
    public static RedisChannel Channel(string keyPrefix, Guid briefId) => RedisChannel.Literal($"{keyPrefix}changes:{{{briefId}}}");
}
