using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>What an operator sees in a tracing backend and on a dashboard while briefs go through the system.</summary>
[Collection(BriefSystemCollection.Name)]
public class TelemetryTests(BriefSystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    static readonly string[] AgentQueues = SectionNames.All.Select(Queues.SubAgent).ToArray();

    [Fact]
    public async Task A_briefs_trace_runs_from_the_api_request_through_the_saga_to_every_agent()
    {
        var spans = new List<Activity>();
        // The three hosts run in this process: a tracer with the sources the services trace sees all their spans.
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(TelemetryExtensions.TracedSources)
            .AddAspNetCoreInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        var client = system.ClientFor("tracee");

        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);

        var request = await Eventually.Found("the server span of POST /generate", () => Snapshot(spans).SingleOrDefault(s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("url.path") is string path && path.EndsWith("/generate", StringComparison.Ordinal)), Patience);
        var trace = await Eventually.Found("consumer spans of the briefs queue and every agent queue in that trace", () =>
        {
            var sameTrace = Snapshot(spans).Where(s => s.TraceId == request.TraceId).ToList();
            var consumedAt = sameTrace.Where(s => s.Kind == ActivityKind.Consumer).Select(Destination).ToHashSet();
            return consumedAt.Contains(Queues.Briefs) && AgentQueues.All(consumedAt.Contains) ? sameTrace : null;
        }, Patience);

        Assert.Contains(trace, s => s.Kind == ActivityKind.Producer && Destination(s) == Queues.Briefs);
        Assert.All(AgentQueues, queue => Assert.Contains(trace, s => s.Kind == ActivityKind.Consumer && Destination(s) == queue));
    }

    [Fact]
    public async Task Each_brief_is_counted_once_however_many_retries_its_five_answers_took()
    {
        var counts = new ConcurrentDictionary<string, long>();
        var sectionsTimed = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BriefMetrics.MeterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => counts.AddOrUpdate(instrument.Name, value, (_, n) => n + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "section" && tag.Value is string section)
                    sectionsTimed.AddOrUpdate(section, 1, (_, n) => n + 1);
        });
        listener.Start();
        var client = system.ClientFor("counted");
        const int briefs = 4;

        var ids = await Task.WhenAll(Enumerable.Range(0, briefs).Select(_ => client.Submit()));
        await Task.WhenAll(ids.Select(id => client.WaitUntilSettled(id)));

        await Eventually.Returns($"{briefs} briefs counted completed", () => counts.GetValueOrDefault("businessbrief.briefs.completed"),
            completed => completed >= briefs, Patience);
        Assert.Equal(briefs, counts.GetValueOrDefault("businessbrief.briefs.started"));
        Assert.Equal(briefs, counts.GetValueOrDefault("businessbrief.briefs.completed"));
        Assert.Equal(0, counts.GetValueOrDefault("businessbrief.briefs.incomplete"));
        Assert.All(SectionNames.All, section => Assert.Equal(briefs, sectionsTimed.GetValueOrDefault(section)));
    }

    static string? Destination(Activity span) => span.GetTagItem("messaging.destination.name") as string;

    // The exporter appends from the services' threads; a copy of the items added so far is enough for a probe.
    static Activity[] Snapshot(List<Activity> spans) => spans.ToArray();
}
