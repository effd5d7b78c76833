using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// One benchmark run against a running system: warm-up (sampling message sizes), the raw broker ceiling, the
/// closed-loop run at the maximum rate (counting messages and Redis commands), then a fixed-rate run at half that
/// rate for latency. Everything it created in Redis is removed at the end unless asked to keep it.
/// </summary>
public sealed class LoadBenchmarkRun(BenchmarkTarget target, LoadBenchmarkOptions options, TextWriter progress)
{
    const int MaxFixedRateBriefs = 100_000;

    readonly ConcurrentBag<Guid> created = [];
    int submitted;

    public async Task<BenchmarkReport> Run(CancellationToken cancellationToken)
    {
        target.EnsureLocal();
        if (options.Validate().ToList() is { Count: > 0 } errors)
            throw new ArgumentException(string.Join("; ", errors));

        var startedAt = DateTimeOffset.UtcNow;
        var loadAverage = RunInfo.LoadAverage();
        var clock = Stopwatch.StartNew();
        var redisOptions = ConfigurationOptions.Parse(target.Redis);
        redisOptions.AllowAdmin = true; // INFO commandstats and INFO memory
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        var redisStatistics = new RedisStatistics(redis);
        using var broker = BrokerStatistics.For(target.RabbitMqManagement, target.RabbitMq);
        await using var subscriber = await BriefReadySubscriber.Start(target.RabbitMq, cancellationToken);
        var client = new BriefClient(target, subscriber, options);
        try
        {
            Say($"warm-up: {options.WarmupBriefs} briefs, sampling sub-agent message sizes");
            PhaseResult warmup;
            MessageSizes sizes;
            await using (var probe = await MessageSizeProbe.Start(target.RabbitMq, cancellationToken))
            {
                warmup = await ClosedLoop(client, options.WarmupBriefs, Math.Min(options.Concurrency, options.WarmupBriefs), cancellationToken);
                sizes = probe.Sizes;
            }

            var rawBefore = await MeasureRawCeiling(sizes, cancellationToken);

            Say("waiting for the broker's counters to settle");
            var brokerBefore = await broker.Settled(cancellationToken);
            var redisBefore = await redisStatistics.Read();
            var servicesBefore = SampleServices();
            Say($"max-rate run: {options.Briefs} briefs, {options.Concurrency} clients at once");
            var maxRate = await ClosedLoop(client, options.Briefs, options.Concurrency, cancellationToken);
            var redisAfter = await redisStatistics.Read();
            var servicesAfter = SampleServices();
            Say($"max-rate run: {maxRate.BriefsPerSecond:0.0} briefs/s; waiting for the broker's counters to settle");
            var brokerAfter = await broker.Settled(cancellationToken);
            // Measured on both sides of the max-rate run: other work on a shared machine comes and goes.
            var rawAfter = await MeasureRawCeiling(sizes, cancellationToken);

            FixedRateResult? halfRate = null;
            long? halfRateForks = null;
            if (options.HalfRateDuration > TimeSpan.Zero)
            {
                var rate = Math.Max(1, maxRate.BriefsPerSecond / 2);
                Say($"half-rate run: {rate:0.0} briefs/s for {options.HalfRateWarmup.TotalSeconds:0.#} s warm-up + "
                    + $"{options.HalfRateDuration.TotalSeconds:0.#} s measured");
                var forksBefore = (await redisStatistics.Read()).Forks;
                halfRate = await FixedRate(client, rate, cancellationToken);
                halfRateForks = (await redisStatistics.Read()).Forks - forksBefore;
            }

            if (options.LatenciesFile is { } file)
                await WriteLatencies(file, maxRate, halfRate);

            return BenchmarkReport.Of(new BenchmarkObservations(options, startedAt, clock.Elapsed, warmup, sizes, [rawBefore, rawAfter],
                maxRate, brokerAfter - brokerBefore, redisBefore, redisAfter, halfRate, halfRateForks, subscriber.Duplicates,
                servicesBefore, servicesAfter, SampleServices(), loadAverage));
        }
        finally
        {
            if (!options.KeepBriefs)
                await Forget(redis.GetDatabase());
        }
    }

    async Task<RawCeiling> MeasureRawCeiling(MessageSizes sizes, CancellationToken cancellationToken)
    {
        Say($"raw ceiling: persistent {sizes.TypicalBytes}-byte messages, {options.RawConfirmsInFlight} confirms in flight, "
            + $"{options.RawCeilingDuration.TotalSeconds:0.#} s");
        var raw = await RawBrokerCeiling.Measure(target.RabbitMq, sizes.TypicalBytes, options.RawCeilingDuration,
            options.RawConfirmsInFlight, cancellationToken);
        Say($"raw ceiling: {raw.MessagesPerSecond:0} msg/s");
        return raw;
    }

    // The benchmark itself too: it shares the machine's cores with the system it measures.
    Dictionary<string, ProcessSample> SampleServices() =>
        target.Services.Append(new("load generator", Environment.ProcessId))
            .Select(s => (s.Key, Sample: ServiceProcess.Read(s.Value)))
            .Where(s => s.Sample is not null)
            .ToDictionary(s => s.Key, s => s.Sample!);

    /// <summary>
    /// <paramref name="clients"/> clients, each submitting its next brief once the previous one was announced ready
    /// (its polling goes on until it sees the brief ready too, but no longer holds the client back).
    /// </summary>
    async Task<PhaseResult> ClosedLoop(BriefClient client, int briefs, int clients, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentBag<Task<BriefOutcome>>();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < briefs)
            {
                var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                outcomes.Add(Generate(client, $"bench-{worker}", Stopwatch.GetTimestamp(), settled, cancellationToken));
                await settled.Task;
            }
        }, cancellationToken)));
        return new PhaseResult(started, await Task.WhenAll(outcomes));
    }

    /// <summary>
    /// Open loop: briefs leave on a fixed schedule whether or not earlier ones are done, and each latency counts
    /// from the moment its brief was due to leave, so a stalled system cannot hide its stall (no coordinated omission).
    /// </summary>
    async Task<FixedRateResult> FixedRate(BriefClient client, double rate, CancellationToken cancellationToken)
    {
        var total = (int)Math.Min(MaxFixedRateBriefs, Math.Ceiling((options.HalfRateWarmup + options.HalfRateDuration).TotalSeconds * rate));
        var period = Stopwatch.Frequency / rate;
        var started = Stopwatch.GetTimestamp();
        var measuredFrom = started + (long)(options.HalfRateWarmup.TotalSeconds * Stopwatch.Frequency);
        var briefs = new List<Task<BriefOutcome>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = started + (long)(i * period);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancellationToken);
            briefs.Add(Generate(client, $"bench-{i % options.Concurrency}", due, new TaskCompletionSource(), cancellationToken));
        }

        var outcomes = await Task.WhenAll(briefs);
        return new FixedRateResult(rate, outcomes.Where(o => o.IntendedAt < measuredFrom).ToList(),
            outcomes.Where(o => o.IntendedAt >= measuredFrom).ToList());
    }

    async Task<BriefOutcome> Generate(BriefClient client, string userId, long intendedAt, TaskCompletionSource settled,
        CancellationToken cancellationToken)
    {
        var outcome = await client.Generate(Interlocked.Increment(ref submitted), userId, intendedAt, settled, cancellationToken);
        if (outcome.BriefId is { } id)
            created.Add(id);
        return outcome;
    }

    /// <summary>
    /// One line per brief of the measured phases: its phase, when it was due (ms from the phase's start), and its
    /// latencies in ms (empty when it never came), so that slow briefs can be seen clustered or spread.
    /// </summary>
    static async Task WriteLatencies(string file, PhaseResult maxRate, FixedRateResult? halfRate)
    {
        static string Ms(TimeSpan? span) => span is { } s ? s.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) : "";
        static IEnumerable<string> Lines(string phase, long startedAt, IEnumerable<BriefOutcome> outcomes) =>
            outcomes.OrderBy(o => o.IntendedAt).Select(o =>
                $"{phase},{Ms(Stopwatch.GetElapsedTime(startedAt, o.IntendedAt))},{Ms(o.ReadyEventLatency)},{Ms(o.PollLatency)}");

        var lines = Lines("max_rate", maxRate.StartedAt, maxRate.Outcomes);
        if (halfRate is { Measured.Count: > 0 })
            lines = lines.Concat(Lines("half_rate", halfRate.Measured.Min(o => o.IntendedAt), halfRate.Measured));
        await File.WriteAllLinesAsync(file, lines.Prepend("phase,due_ms,brief_ready_ms,polled_ready_ms"));
    }

    /// <summary>Removes the benchmark's briefs (and their accepted-request records) so repeated runs do not fill Redis.</summary>
    async Task Forget(IDatabase redis)
    {
        Say($"removing the {created.Count} briefs the benchmark created from Redis");
        // One DEL per brief: its two keys share its hash tag, and a Redis Cluster refuses a DEL across slots.
        foreach (var batch in created.Chunk(500))
            await Task.WhenAll(batch.Select(id => redis.KeyDeleteAsync(
                [$"{target.BriefKeyPrefix}{{{id}}}", $"{target.BriefKeyPrefix}{{{id}}}:accepted"])));
    }

    void Say(string message) => progress.WriteLine($"bench: {message}");
}

/// <summary>Outcomes of a closed-loop phase that started at <paramref name="StartedAt"/> (Stopwatch ticks).</summary>
public record PhaseResult(long StartedAt, IReadOnlyList<BriefOutcome> Outcomes)
{
    /// <summary>Briefs announced ready per second, from the first request to the last BriefReady.</summary>
    public double BriefsPerSecond =>
        Outcomes.Where(o => o.ReadyEventAt is not null).ToList() is { Count: > 0 } ready
            ? ready.Count / Stopwatch.GetElapsedTime(StartedAt, ready.Max(o => o.ReadyEventAt!.Value)).TotalSeconds
            : 0;
}

public record FixedRateResult(double RatePerSecond, IReadOnlyList<BriefOutcome> Warmup, IReadOnlyList<BriefOutcome> Measured);
