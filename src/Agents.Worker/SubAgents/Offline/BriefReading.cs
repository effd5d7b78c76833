using System.Globalization;
using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// A job's inputs as the offline writers read them: the profile, the sector it belongs to, the neighbourhoods
/// and features it names, the feedback's directions, and two stable seeds.
/// </summary>
public record BriefReading(
    RunSubAgent Job,
    string Language,
    Sector Sector,
    IReadOnlyList<string> Quartiers,
    string? CountryCode,
    IReadOnlyList<string> Features,
    FeedbackReading Feedback,
    Wording Wording)
{
    public BusinessProfile Profile => Job.Profile;

    public string Name => Job.Profile.BusinessName.Trim();

    public string City => Job.Profile.Location.City.Trim();

    public string Country => Job.Profile.Location.Country.Trim();

    public bool English => Language == "en";

    public CultureInfo Culture { get; } = CultureInfo.GetCultureInfo(Language);

    /// <summary>The phrase <paramref name="key"/> of <see cref="Offline.Wording"/> in the brief's language, its placeholders filled.</summary>
    public string Phrase(string key, params object?[] args) => Wording.Phrase(Culture, key, args);

    /// <summary>
    /// The business's identity: the same name and sector always give the same shapes and colours, and two
    /// businesses almost always differ.
    /// </summary>
    public ulong Identity { get; } = Text.StableHash(Job.Profile.BusinessName.Trim(), Job.Profile.Sector.Trim());

    /// <summary>
    /// Seeds what a regeneration explores (other shapes, hues, phrasings): the identity at the first
    /// generation, then a hash that also covers the revision and the feedback.
    /// </summary>
    public ulong Variant { get; } = Job.Revision <= 1 && string.IsNullOrWhiteSpace(Job.Feedback)
        ? Text.StableHash(Job.Profile.BusinessName.Trim(), Job.Profile.Sector.Trim())
        : Text.StableHash(Job.Profile.BusinessName.Trim(), Job.Profile.Sector.Trim(), Job.Revision.ToString(), Job.Feedback?.Trim());

    public bool Regenerating => Job.Revision > 1 || Feedback.Given;

    /// <summary>
    /// One of <paramref name="options"/>: the business's own choice at revision 1, then the next one at each
    /// revision, so that a regenerated section never repeats the previous wording.
    /// </summary>
    public T Pick<T>(IReadOnlyList<T> options, int salt = 0) =>
        options[(int)((Identity % 1009UL + (ulong)salt + (ulong)Math.Max(0, Job.Revision - 1)) % (ulong)options.Count)];

    /// <summary>The sector as the entrepreneur wrote it, for prose ("boulangerie-pâtisserie artisanale").</summary>
    public string SectorInProse => Text.Uncapitalised(Text.WithoutFinalStop(Profile.Sector));

    /// <summary>The sector as people search it ("boulangerie"); the entrepreneur's own words when the sector is unknown.</summary>
    public string SectorKeyword => Sector.Id == SectorCatalogue.Generic
        ? Text.Shorten(SectorInProse, 40).TrimEnd('…').ToLowerInvariant()
        : Sector.Label.For(Language);

    public bool Offers(string feature) => Features.Contains(feature);

    /// <summary>Where the business serves: the neighbourhoods named, or else the city.</summary>
    public IReadOnlyList<string> AreaServed => Quartiers.Count > 0 ? Quartiers : [City];

    /// <summary>"Mermoz, Sacré-Cœur et Point E" / "Mermoz, Sacré-Cœur and Point E".</summary>
    public string ListInProse(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + Phrase("ListAnd") + items[^1],
    };

    /// <summary>The brand's style: the sector's, unless the feedback asks for another.</summary>
    public string Style =>
        Feedback.Asks(FeedbackDirection.Modern) ? "modern"
        : Feedback.Asks(FeedbackDirection.Classic) ? "classic"
        : Feedback.Asks(FeedbackDirection.Vivid) ? "vivid"
        : Feedback.Asks(FeedbackDirection.Sober) ? "minimal"
        : Sector.Style;

    /// <summary>The palette's mood: what the feedback asks, or the mood of the sector's hue.</summary>
    public string PaletteMood =>
        Feedback.Asks(FeedbackDirection.Warmer) ? "warm"
        : Feedback.Asks(FeedbackDirection.Cooler) ? "cool"
        : Sector.Hue is < 70 or >= 320 ? "warm"
        : Sector.Hue is >= 160 and < 260 ? "cool"
        : "neutral";

    /// <summary>
    /// The result of a section this one builds on (<see cref="SectionGraph"/>), as the job carries it; null when that
    /// section failed (the writer then works from the profile alone, and the job's result says so).
    /// </summary>
    public JsonObject? Input(string section) =>
        Job.Inputs.FirstOrDefault(i => i.Section == section)?.Result is { } result ? JsonNode.Parse(result.GetRawText()) as JsonObject : null;

    /// <summary>The first result of this section before this regeneration, if the saga sent it.</summary>
    public JsonObject? PreviousResult => Job.PreviousResult is { } previous ? JsonNode.Parse(previous.GetRawText()) as JsonObject : null;
}

/// <summary>Reads a job into a <see cref="BriefReading"/>.</summary>
public class BriefReader(SectorCatalogue sectors, PlaceCatalogue places, Wording wording)
{
    public BriefReading Read(RunSubAgent job) => new(
        job,
        job.Language == "en" ? "en" : "fr",
        sectors.SectorOf(job.Profile),
        places.QuartiersNamedIn(job.Profile),
        places.CountryCodeOf(job.Profile.Location),
        sectors.FeaturesOf(job.Profile),
        FeedbackReading.Of(job.Feedback),
        wording);
}
