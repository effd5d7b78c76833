using System.Text.Json.Serialization;
using BusinessBrief.Contracts;
using MassTransit;

namespace BusinessBrief.Persistence;

/// <summary>
/// The brief as the <c>BriefStateMachine</c> saga keeps it in Redis. The API reads the same document to
/// answer polls, so a GET never touches the broker.
/// </summary>
public class BriefState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = null!;

    /// <summary>The saga's state, typed; the state machine names its states after <see cref="BriefStatus"/>.</summary>
    [JsonIgnore]
    public BriefStatus Status
    {
        get => Enum.Parse<BriefStatus>(CurrentState);
        set => CurrentState = value.ToString();
    }

    public string UserId { get; set; } = null!;
    public BusinessProfile Profile { get; set; } = null!;
    public string Language { get; set; } = null!;

    /// <summary>1 for the first generation, +1 per regeneration.</summary>
    public int Revision { get; set; }
    public string? Feedback { get; set; }
    public Dictionary<string, SectionState> Sections { get; set; } = [];

    /// <summary>Regeneration requests already applied, so a redelivered request is not applied twice.</summary>
    public List<Guid> AppliedRequests { get; set; } = [];

    /// <summary>What the brief cost so far: every job answered for it, in all its revisions.</summary>
    public BriefUsage Usage { get; set; } = new();

    /// <summary>The due time under which the orchestrators' deadline index holds the brief; null when it does not.</summary>
    public DateTimeOffset? DeadlineCheckDueAt { get; set; }

    /// <summary>The DigitalCloud360 site built from the brief; null until then.</summary>
    [JsonConverter(typeof(LegacyIdentifierConverter))]
    public long? Dc360WebsiteId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Mean confidence over the completed sections (0 when none is).</summary>
    [JsonIgnore]
    public double OverallConfidence =>
        Sections.Values.Where(s => s.Status == SectionStatus.Completed).Select(s => s.Confidence ?? 0).DefaultIfEmpty(0).Average();

    /// <summary>Share of the five sections that are completed.</summary>
    [JsonIgnore]
    public double BriefCompleteness =>
        SectionNames.All.Count(name => Sections.TryGetValue(name, out var s) && s.Status == SectionStatus.Completed)
        / (double)SectionNames.All.Count;

    [JsonIgnore]
    public bool IsReadyForWebsite => BriefCompleteness >= 1.0;

    [JsonIgnore]
    public bool AllSectionsTerminal => Sections.Values.All(s => s.IsTerminal);

    /// <summary>
    /// The sections a regeneration of <paramref name="requested"/> re-runs. A cancelled brief also re-runs every section
    /// the cancellation left unfinished: without them it could never be ready.
    /// </summary>
    public IReadOnlyList<string> SectionsToRegenerate(IEnumerable<string> requested) =>
        Status == BriefStatus.Cancelled
            ? requested.Union(SectionNames.All.Where(name => Sections.GetValueOrDefault(name)?.Status != SectionStatus.Completed)).ToList()
            : requested.Distinct().ToList();

    /// <summary>
    /// Sections written from an input regenerated since. Informational: a brief whose sections are all completed is
    /// ready, stale or not.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> StaleSections => SectionNames.All.Where(name => Sections.GetValueOrDefault(name)?.IsStale == true).ToList();
}
