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
}
