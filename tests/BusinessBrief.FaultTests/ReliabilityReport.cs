using System.Text;

namespace BusinessBrief.FaultTests;

/// <param name="SectionFailures">Why sections failed, e.g. "12 × template_selection: no answer …", so a failed run explains itself.</param>
/// <param name="ErrorQueueFaults">What the messages parked in error queues faulted with, for the same reason.</param>
public record ScenarioResult(string Scenario, int Submitted, int Ready, int Incomplete, int Lost, int Stuck, int Duplicates,
    int ErrorQueueMessages, TimeSpan Duration, string SectionFailures, string ErrorQueueFaults);

/// <summary>
/// Writes the fault suite's table after each run to <c>.data/docs/reliability.md</c>: a test run leaves the repository
/// unchanged, and <c>./bb docs</c> copies it to <c>docs/reliability.md</c>.
/// </summary>
public static class ReliabilityReport
{
    // Not measured by a scenario: written as is under the table, so that ./bb docs keeps it.
    const string FailoverNotes = @"## On a Redis Cluster: what a failover can still lose

Replication is asynchronous: a write its master acknowledged is lost if the master dies before a replica has it.
With `Redis__ReplicaAckTimeoutMs` set (cluster mode), every saga write, erasure and idempotency claim is followed by
`WAIT 1 <ms>` on the connection to the key's master; no replica in time is an unknown outcome, as a timeout: the saga
keeps the message and retries it (re-reading the instance), the API answers 503. `min-replicas-to-write 1` makes a
master with no replica refuse writes (`NOREPLICAS`, handled the same way). Still exposed, for the replication lag
(not measured here) before the master dies:
- writes with no `WAIT` after them: the API's acceptance record of a new brief and its place in the owner's list (the
  command is in RabbitMQ: the saga stores the brief, a poll meanwhile answers 404), a pending regeneration mark (the
  command still runs), briefs in flight, token-budget charges and rate-limit counts (under-counted once), preview
  sessions (opened again), deadline-index entries (written again by the brief's next answer; a watchdog claim is a lease);
- every write of a slot whose master and replica both die, or whose replica lost its last second of AOF (`everysec`);
- while a promoted master has no replica yet, its slots refuse writes under `min-replicas-to-write 1`: durability is
  kept by giving up availability until the old master rejoins as its replica (the saga holds its messages meanwhile).

How often this happens is not measured yet: the fault suite's Redis-master scenario is where it will be counted.
";

    public static void Write(string path, IReadOnlyList<ScenarioResult> results)
    {
        if (results.Count == 0)
            return;

        var md = new StringBuilder();
        md.AppendLine("# Reliability under faults");
        md.AppendLine();
        md.AppendLine("Written by the fault suite (`tests/BusinessBrief.FaultTests`, part of `./bb test`) on its last run.");
        md.AppendLine("Every scenario runs the API, orchestrator(s) and agents as separate OS processes against a RabbitMQ node,");
        md.AppendLine("a redis-server and a PostgreSQL (the archive) of its own, submits a batch of briefs through the HTTP API and");
        md.AppendLine("breaks something mid-batch.");
        md.AppendLine();
        md.AppendLine($"Last run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores.");
        md.AppendLine();
        md.AppendLine("- **lost**: accepted (202) but unknown at the end; **stuck**: still generating when the scenario's time ran out;");
        md.AppendLine("  **duplicates**: a revision announced under more than one message id (a repeated announcement keeps its id), or a brief");
        md.AppendLine("  that recorded more answers than jobs it sent (an answer recorded twice).");
        md.AppendLine();
        md.AppendLine("| scenario | briefs submitted | ready | incomplete | lost | stuck | duplicates | error-queue messages | duration |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.OrderBy(r => int.Parse(r.Scenario[..r.Scenario.IndexOf('.')])))
            md.AppendLine($"| {r.Scenario} | {r.Submitted} | {r.Ready} | {r.Incomplete} | {r.Lost} | {r.Stuck} | {r.Duplicates} | {r.ErrorQueueMessages} | {r.Duration.TotalSeconds:0.0} s |");

        md.AppendLine();
        md.Append(FailoverNotes);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, md.ToString());
    }
}
