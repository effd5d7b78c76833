using System.Text;

namespace BusinessBrief.FaultTests;

/// <param name="SectionFailures">Why sections failed, e.g. "12 × template_selection: no answer …", so a failed run explains itself.</param>
/// <param name="ErrorQueueFaults">What the messages parked in error queues faulted with, for the same reason.</param>
/// <param name="AnnouncedDuringFault">Briefs already announced when the fault began and when it ended ((0, 0) without a fault).</param>
public record ScenarioResult(string Scenario, int Submitted, int Ready, int Incomplete, int Lost, int Stuck, int Duplicates,
    int ErrorQueueMessages, TimeSpan Duration, string SectionFailures, string ErrorQueueFaults, (int Began, int Ended) AnnouncedDuringFault);

/// <summary>
/// Writes the fault suite's table after each run to <c>.data/docs/reliability.md</c>: a test run leaves the repository
/// unchanged, and <c>./bb docs</c> copies it to <c>docs/reliability.md</c>.
/// </summary>
public static class ReliabilityReport
{
    /// <param name="committed">The report in <c>docs/</c>: its hand-written sections (<c>## </c> headings below the table) are carried over.</param>
    public static void Write(string path, IReadOnlyList<ScenarioResult> results, string committed)
    {
        if (results.Count == 0)
            return;

        var md = new StringBuilder();
        md.AppendLine("# Reliability under faults");
        md.AppendLine();
        md.AppendLine("Written by the fault suite (`tests/BusinessBrief.FaultTests`, part of `./bb test`) on its last run.");
        md.AppendLine("Every scenario runs the API, orchestrator(s) and agents as separate OS processes against a RabbitMQ node,");
        md.AppendLine("a redis-server and a PostgreSQL (the archive) of its own, submits a batch of briefs through the HTTP API and");
        md.AppendLine("breaks something mid-batch. The cluster scenarios run on the engines of `./bb up --cluster` instead (3 RabbitMQ nodes,");
        md.AppendLine("quorum queues; a Redis Cluster of 3 masters and 3 replicas), on ports of the suite's own.");
        md.AppendLine();
        md.AppendLine($"Last run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores.");
        md.AppendLine();
        md.AppendLine("- **lost**: accepted (202) but unknown at the end; **stuck**: still generating when the scenario's time ran out;");
        md.AppendLine("  **duplicates**: a revision announced under more than one message id (a repeated announcement keeps its id), or a brief");
        md.AppendLine("  that recorded more answers than jobs it sent (an answer recorded twice).");
        md.AppendLine("- **announced during the fault**: briefs already ready or incomplete when the fault began → when it ended; the fault");
        md.AppendLine("  begins once a first brief is announced, so the rest of the batch is in flight.");
        md.AppendLine();
        md.AppendLine("| scenario | briefs submitted | ready | incomplete | lost | stuck | duplicates | error-queue messages | announced during the fault | duration |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.OrderBy(r => int.Parse(r.Scenario[..r.Scenario.IndexOf('.')])))
            md.AppendLine($"| {r.Scenario} | {r.Submitted} | {r.Ready} | {r.Incomplete} | {r.Lost} | {r.Stuck} | {r.Duplicates} | {r.ErrorQueueMessages} | {FaultWindow(r)} | {r.Duration.TotalSeconds:0.0} s |");
        // ./bb docs replaces the measured part only: what a person wrote below it stays.
        var previous = File.Exists(committed) ? File.ReadAllText(committed) : "";
        if (previous.IndexOf("\n## ", StringComparison.Ordinal) is >= 0 and var handWritten)
            md.AppendLine().Append(previous[(handWritten + 1)..]);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, md.ToString());
    }

    static string FaultWindow(ScenarioResult r) =>
        r.AnnouncedDuringFault == default ? "–" : $"{r.AnnouncedDuringFault.Began} → {r.AnnouncedDuringFault.Ended}";
}
