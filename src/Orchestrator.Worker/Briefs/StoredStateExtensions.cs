using BusinessBrief.Persistence.Redis;
using MassTransit;
using MassTransit.Middleware.InMemoryOutbox;

namespace BusinessBrief.Orchestrator.Briefs;

public static class StoredStateExtensions
{
    /// <summary>
    /// Runs <paramref name="action"/> once the saga stored the state this message produced, alongside the sends the
    /// in-memory outbox holds until then. An attempt that loses the compare-and-set is discarded with its sends,
    /// and so is what it would have recorded: a metric counts each brief once, however many retries it took.
    /// </summary>
    public static void WhenStored(this ConsumeContext context, Action action)
    {
        if (context.TryGetPayload<OutboxContext>(out var outbox))
            outbox.Add(() =>
            {
                action();
                return Task.CompletedTask;
            });
        else
            action();
    }

    /// <summary>
    /// An earlier attempt at this message may have stored its effect while its sends never left (the in-memory outbox
    /// drops them with the attempt): a redelivery, after the process died between storing and sending, or a retry
    /// after a saga write Redis never confirmed. Such a message sends again what its effect sent, under the same ids.
    /// </summary>
    public static bool MayHaveBeenAppliedBefore(this ConsumeContext context) =>
        context.ReceiveContext.Redelivered || UnconfirmedSagaWrite.HappenedFor(context.ReceiveContext);
}
