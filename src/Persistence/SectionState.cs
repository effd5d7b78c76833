using System.Text.Json;
using System.Text.Json.Serialization;
using BusinessBrief.Contracts;

namespace BusinessBrief.Persistence;

public class SectionState
{
    /// <summary>Pending: part of the current revision, waiting for its inputs to settle (or for the saga to start it).</summary>
    public string Status { get; set; } = SectionStatus.Pending;
    /// <summary>The job whose answer is awaited; answers for any other job id are superseded.</summary>
    public Guid JobId { get; set; }
    public int Revision { get; set; }
    /// <summary>How many jobs were dispatched for this section over the brief's life.</summary>
    public int Attempts { get; set; }
    /// <summary>Jobs re-sent in this revision because the previous one got no answer before its deadline.</summary>
    public int DeadlineRedispatches { get; set; }
    /// <summary>The user's feedback that the current revision of this section answers.</summary>
    public string? Feedback { get; set; }
    public double? Confidence { get; set; }
    public string? Backend { get; set; }
    /// <summary>What the job that gave the section its current answer cost.</summary>
    public SectionUsage? Usage { get; set; }
    public JsonElement? Result { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The section's earlier revisions, newest first, so a user can compare after regenerating.</summary>
    public List<SectionRevision> History { get; set; } = [];
    /// <summary>
    /// Inputs (<c>SectionGraph</c>) regenerated since this result was written, directly or further upstream. The
    /// content stays usable; regenerating the section (or a cascading regeneration) writes it from the new inputs.
    /// </summary>
    public List<string> ChangedInputs { get; set; } = [];

    [JsonIgnore]
    public bool IsTerminal => Status is SectionStatus.Completed or SectionStatus.Failed or SectionStatus.Cancelled;

    [JsonIgnore]
    public bool IsStale => ChangedInputs.Count > 0;

    /// <summary>Still to be written in the current revision: its dependents must wait for it.</summary>
    [JsonIgnore]
    public bool IsUnsettled => Status is SectionStatus.Pending or SectionStatus.Running;
}

public record SectionRevision(int Revision, JsonElement Result, double? Confidence, string? Feedback, DateTimeOffset CompletedAt);

public static class SectionStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    /// <summary>Its job was stopped because the brief was cancelled before the section finished.</summary>
    public const string Cancelled = "cancelled";
}
