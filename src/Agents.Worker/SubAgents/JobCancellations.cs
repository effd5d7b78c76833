using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// The jobs this process is running, by brief, and the briefs cancelled lately. When a brief is cancelled (or
/// erased), each of its running jobs sees its token fire, which aborts whatever the job awaits (an LLM HTTP call
/// included); a job of it still queued is stopped as soon as it starts.
/// </summary>
public sealed class JobCancellations(TimeProvider clock)
{
    /// <summary>
    /// How long a cancellation is remembered for jobs not yet started: longer than a job waits in its queue, since the
    /// saga re-sends (with new ids) or fails jobs that got no answer within minutes.
    /// </summary>
    static readonly TimeSpan Remembered = TimeSpan.FromHours(1);

    readonly Lock gate = new();
    readonly Dictionary<Guid, List<RunningJob>> running = [];
    readonly Dictionary<Guid, (int UpToRevision, DateTimeOffset At)> cancelled = [];

    /// <summary>A token for the job that fires when the consumer stops or when the job's brief is cancelled.</summary>
    public JobCancellation Watch(RunSubAgent job, CancellationToken consumeToken)
    {
        var watched = new RunningJob(job.Revision, CancellationTokenSource.CreateLinkedTokenSource(consumeToken));
        lock (gate)
        {
            if (cancelled.TryGetValue(job.BriefId, out var cancellation) && job.Revision <= cancellation.UpToRevision)
                watched.Source.Cancel();
            else if (running.TryGetValue(job.BriefId, out var jobs))
                jobs.Add(watched);
            else
                running[job.BriefId] = [watched];
        }
        return new JobCancellation(watched.Source, consumeToken, () => Forget(job.BriefId, watched));
    }

    /// <summary>Stops the brief's jobs of revisions up to <paramref name="upToRevision"/>, running or yet to start.</summary>
    public void Cancel(Guid briefId, int upToRevision)
    {
        List<RunningJob> stopping;
        lock (gate)
        {
            var now = clock.GetUtcNow();
            foreach (var old in cancelled.Where(c => now - c.Value.At > Remembered).Select(c => c.Key).ToList())
                cancelled.Remove(old);
            var before = cancelled.GetValueOrDefault(briefId).UpToRevision;
            cancelled[briefId] = (Math.Max(before, upToRevision), now);
            stopping = running.GetValueOrDefault(briefId)?.Where(j => j.Revision <= upToRevision).ToList() ?? [];
        }

        // Outside the lock: cancelling runs the jobs' callbacks (an HTTP abort) on this thread.
        foreach (var job in stopping)
        {
            try
            {
                job.Source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The job ended between the lookup and now: nothing left to stop.
            }
        }
    }

    void Forget(Guid briefId, RunningJob job)
    {
        lock (gate)
        {
            if (running.TryGetValue(briefId, out var jobs) && jobs.Remove(job) && jobs.Count == 0)
                running.Remove(briefId);
        }
        job.Source.Dispose();
    }

    sealed record RunningJob(int Revision, CancellationTokenSource Source);
}

/// <summary>One running job's cancellation; disposing it ends the job's registration.</summary>
public sealed class JobCancellation(CancellationTokenSource source, CancellationToken consumeToken, Action forget) : IDisposable
{
    public CancellationToken Token => source.Token;

    /// <summary>The job's brief was cancelled or erased (as opposed to the process stopping).</summary>
    public bool BriefCancelled => source.IsCancellationRequested && !consumeToken.IsCancellationRequested;

    public void Dispose() => forget();
}
