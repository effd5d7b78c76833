using System.Globalization;
using System.Text.Json;
using BusinessBrief.Contracts;
using Microsoft.Extensions.Localization;

namespace BusinessBrief.Api.Briefs.Export;

/// <summary>
/// What the preview page and the Markdown export say in words about what the JSON gives as fields: the brief's status,
/// a section failed, cancelled or written from an input regenerated since (<c>stale</c>), what a section was written
/// from (<c>built_on</c>), what it cost (<c>usage</c>) and what each field is called. Texts come from
/// <c>BriefWording.resx</c> and its <c>.fr</c> twin in the culture a view renders under (<see cref="BriefCulture"/>).
/// Plain text: each view escapes it its own way.
/// </summary>
public class BriefWording(IStringLocalizer<BriefWording> texts)
{
    public string Status(string status) => Or($"Status.{status}", status);

    public string SectionTitle(string section) => Or($"Title.{section}", section);

    /// <summary>A field of a result or of the profile (<c>call_to_action</c>, <c>target_audience</c>) as a reader names it.</summary>
    public string FieldLabel(string name) =>
        Or($"Field.{name}", CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' ')));

    /// <summary>A label and its value: « Coût : 12 ms », "Cost: 12 ms".</summary>
    public string Labelled(string label, string value) => texts["Labelled", label, value];

    /// <summary>A label before what follows on the next lines: « JSON-LD : », "JSON-LD:".</summary>
    public string Introducing(string label) => texts["Introducing", label];

    public string CostLabel => texts["Cost"];

    public string StaleBadge => texts["StaleBadge"];

    /// <summary>Why a stale section should be rewritten: « Écrit à partir d'une ancienne étude de marché. … ».</summary>
    public string Stale(IReadOnlyList<string> changedInputs) =>
        texts["Stale", And(changedInputs.Select(input => Or($"FromAnOld.{input}", input)))];

    public string Failed(string? error) => texts["Failed", error ?? texts["UnknownReason"]];

    /// <summary>A cancelled section either never got an answer, or keeps the one it had before the cancelled regeneration.</summary>
    public string Cancelled(bool keepsEarlierVersion) =>
        texts[keepsEarlierVersion ? "CancelledKeepsEarlierVersion" : "CancelledBeforeTheEnd"];

    /// <summary>
    /// The result's <c>built_on</c> said in words: which revision of each input it was written from, and the service's
    /// note for an input it had to do without. Null for a section that builds on nothing.
    /// </summary>
    public string? BuiltOn(JsonElement result)
    {
        if (!result.TryGetProperty("built_on", out var builtOn) || builtOn.ValueKind != JsonValueKind.Array)
            return null;

        var used = new List<string>();
        var missing = new List<string>();
        foreach (var input in builtOn.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
        {
            var section = input.TryGetProperty("section", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
            var fromThe = Or($"FromThe.{section}", section);
            if (input.TryGetProperty("used", out var u) && u.ValueKind == JsonValueKind.True)
                used.Add(input.TryGetProperty("revision", out var r) && r.ValueKind == JsonValueKind.Number
                    ? texts["OfRevision", fromThe, r.GetInt32()]
                    : fromThe);
            else
                missing.Add(input.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String
                    ? note.GetString()!
                    : texts["WrittenWithout", Or($"The.{section}", section)]);
        }

        var sentences = new List<string>();
        if (used.Count > 0)
            sentences.Add(texts["WrittenFrom", And(used)]);
        sentences.AddRange(missing);
        return sentences.Count > 0 ? string.Join(" ", sentences) : null;
    }

    /// <summary>The job that wrote a section: « hors ligne, 1 tentative, 12 ms » or « gpt-4o-mini, 2 tentatives, 2,3 s, 1 840 + 912 jetons ».</summary>
    public string Cost(SectionUsage usage)
    {
        var writer = usage.Backend == "offline" ? texts["Offline"] : usage.Model ?? texts["LanguageModel"];
        var parts = new List<string> { writer, Count("Attempts", usage.Attempts), Duration(usage.DurationMs) };
        if (usage.PromptTokens is not null || usage.CompletionTokens is not null)
            parts.Add(texts["Tokens", usage.PromptTokens ?? 0, usage.CompletionTokens ?? 0]);
        return string.Join(", ", parts);
    }

    /// <summary>Every job answered for the brief: « 5 tâches, 2,3 s, 1 840 + 912 jetons ». Null before the first answer.</summary>
    public string? Cost(BriefUsage usage)
    {
        if (usage.Jobs == 0)
            return null;
        var jobs = Count("Jobs", usage.Jobs);
        if (usage.Attempts > usage.Jobs)
            jobs += $" ({Count("Attempts", usage.Attempts)})";
        var parts = new List<string> { jobs, Duration(usage.DurationMs) };
        if (usage.PromptTokens + usage.CompletionTokens > 0)
            parts.Add(texts["Tokens", usage.PromptTokens, usage.CompletionTokens]);
        return string.Join(", ", parts);
    }

    public string MarkdownIntro => texts["Markdown.Intro"];
    public string MarkdownFieldHeader => texts["Markdown.Field"];
    public string MarkdownValueHeader => texts["Markdown.Value"];
    public string MarkdownNotAvailable => texts["Markdown.NotAvailable"];
    public string MarkdownCost(string cost) => texts["Markdown.Cost", cost];

    public string MarkdownStatus(string status, int revision, double completeness, double confidence) =>
        texts["Markdown.Status", status, revision, completeness, confidence];

    // Seconds and milliseconds are the same in both languages; only the digits are grouped the culture's way.
    static string Duration(double ms) => ms < 1000
        ? string.Format(CultureInfo.CurrentCulture, "{0:N0} ms", Math.Round(ms))
        : string.Format(CultureInfo.CurrentCulture, "{0:N1} s", ms / 1000);

    // Each language says which counts take the singular (French: 0 and 1; English: 1 only) in its .resx.
    string Count(string noun, long n) => texts[$"{noun}.{n switch { 0 => "Zero", 1 => "One", _ => "Other" }}", n];

    string And(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : texts["And", string.Join(", ", list[..^1]), list[^1]];
    }

    /// <summary>The text named <paramref name="name"/>, or <paramref name="fallback"/> for a value the .resx does not know.</summary>
    string Or(string name, string fallback) => texts[name] is { ResourceNotFound: false } found ? found.Value : fallback;
}
