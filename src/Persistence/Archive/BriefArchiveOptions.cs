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
}
