namespace BusinessBrief.Persistence.Archive;

/// <summary>Where the long-term archive of briefs lives: <c>ConnectionStrings:postgres</c> and the schema of its tables.</summary>
public class BriefArchiveOptions
{
    public const string SectionName = "BriefArchive";
    public const string ConnectionName = "postgres";

    /// <summary>The schema holding the archive's tables and its <c>schema_version</c>; created at start-up when missing.</summary>
    public string Schema { get; set; } = "brief_archive";

    /// <summary>False leaves the orchestrator's <c>brief-archive</c> consumer out: what <c>./bb bench</c> compares the archive's cost against.</summary>
    public bool Enabled { get; set; } = true;

    public ArchiveRetention Retention { get; set; } = new();
}

/// <summary>
/// How long an archived brief is kept after its latest revision last changed (<c>updated_at</c>): a brief regenerated or
/// made into a website yesterday is in use, whenever it was created.
/// </summary>
public class ArchiveRetention
{
    /// <summary>A brief a website was created from: the entrepreneur may come back to it for as long as the site lives.</summary>
    public TimeSpan Used { get; set; } = TimeSpan.FromDays(730);

    /// <summary>Every other status: ready, incomplete, cancelled.</summary>
    public TimeSpan Default { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long the tombstone of an erased brief stops a late event from archiving it again. An event waits in
    /// <c>brief-archive</c> while PostgreSQL is away, or in <c>brief-archive_error</c> until an operator moves it back: days, not months.
    /// </summary>
    public TimeSpan ErasureTombstones { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each orchestrator purges what is past its retention.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Briefs (or tombstones) deleted per transaction: short transactions hold few locks and let copies share the work.</summary>
    public int PurgeBatchSize { get; set; } = 500;
}
