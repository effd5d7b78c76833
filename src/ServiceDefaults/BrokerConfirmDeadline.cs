namespace BusinessBrief.ServiceDefaults;

/// <summary>
/// How long a worker's send or publish may wait for RabbitMQ's publisher confirm (<c>RabbitMq:ConfirmTimeout</c>).
/// </summary>
/// <remarks>
/// RabbitMQ.Client 7.2.2 can wait forever for the confirm of a message whose channel closed under it when the
/// broker restarts (rabbitmq/rabbitmq-dotnet-client#1930; seen here in a dump of the agents worker: every delivery
/// of an endpoint parked in <c>MaybeWaitForConfirmationAsync</c>). MassTransit restarts an endpoint only once
/// its deliveries in flight have finished, so one lost confirm per prefetch slot stalled a queue for good.
/// Past this deadline the send throws <see cref="OperationCanceledException"/>: MassTransit does not move a
/// canceled delivery to the error queue, the broker hands it out again, and the handlers are idempotent on
/// job and message ids.
/// </remarks>
public sealed class BrokerConfirmDeadline(TimeSpan timeout)
{
    public TimeSpan Timeout => timeout;

    /// <summary>
    /// A token that fires once the confirm is overdue. Its source is not disposed on purpose: the send it guards
    /// may leave after the caller returned (in-memory outbox), and the source is collected once its timer fired.
    /// </summary>
    public CancellationToken Start() => new CancellationTokenSource(timeout).Token;
}
