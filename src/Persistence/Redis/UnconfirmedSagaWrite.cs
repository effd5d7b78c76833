using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

/// <summary>
/// Left on a received message when a saga write for it failed without Redis saying whether it was stored: the
/// connection broke or timed out mid-call, and the store could not recognise its own write. An in-process retry of
/// that message must then treat its effect as possibly stored, as a redelivery does, and send again what it sent.
/// </summary>
public sealed class UnconfirmedSagaWrite
{
    public static bool HappenedFor(ReceiveContext context) => context.TryGetPayload<UnconfirmedSagaWrite>(out _);

    /// <summary>A failure after which Redis may or may not have applied the command: the connection broke, or no answer came.</summary>
    internal static bool LeavesOutcomeUnknown(Exception exception) => exception is RedisConnectionException or RedisTimeoutException;

    internal static async Task Noted(ReceiveContext context, Task write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (LeavesOutcomeUnknown(ex))
        {
            // On the receive context, which every retry of the message shares, not on this attempt's consume context.
            context.GetOrAddPayload(() => new UnconfirmedSagaWrite());
            throw;
        }
    }
}
