using System.Collections.Concurrent;
using BusinessBrief.Contracts;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// Copies of the system's sub-agent traffic (jobs sent to the five agent queues, their answers), to learn the
/// real body size of the messages that make up most of a brief's cost.
/// </summary>
public sealed class MessageSizeProbe : IAsyncDisposable
{
    const int MaxSamples = 2000;
    readonly ConcurrentQueue<int> jobs = new();
    readonly ConcurrentQueue<int> answers = new();
    TemporaryQueue queue = null!;

    public static async Task<MessageSizeProbe> Start(Uri rabbitMq, CancellationToken cancellationToken)
    {
        var probe = new MessageSizeProbe();
        var answerExchange = BriefReadySubscriber.ExchangeOf<SubAgentCompleted>();
        // The orchestrator sends jobs to queue:<agent>, which MassTransit delivers through an exchange of the same name.
        var jobExchanges = SectionNames.All.Select(Queues.SubAgent).ToList();
        probe.queue = await TemporaryQueue.Start(rabbitMq, "message-sizes", [answerExchange, .. jobExchanges], delivery =>
        {
            var samples = delivery.Exchange == answerExchange ? probe.answers : probe.jobs;
            if (samples.Count < MaxSamples)
                samples.Enqueue(delivery.Body.Length);
        }, cancellationToken);
        return probe;
    }

    public MessageSizes Sizes => new(Mean(jobs), Mean(answers));

    static int Mean(IEnumerable<int> samples) => samples.Any() ? (int)Math.Round(samples.Average()) : 0;

    public ValueTask DisposeAsync() => queue.DisposeAsync();
}

/// <summary>Mean body sizes in bytes (0 when none was seen).</summary>
public record MessageSizes(int RunSubAgentBytes, int SubAgentCompletedBytes)
{
    /// <summary>Used when no sub-agent message was seen, so the ceiling is still measured with a plausible size.</summary>
    const int FallbackBytes = 2048;

    public int TypicalBytes => (RunSubAgentBytes, SubAgentCompletedBytes) switch
    {
        (0, 0) => FallbackBytes,
        (0, var answer) => answer,
        (var job, 0) => job,
        var (job, answer) => (job + answer) / 2,
    };
}
