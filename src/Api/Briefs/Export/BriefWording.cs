using System.Globalization;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Briefs.Export;

/// <summary>
/// What the preview page and the Markdown export say in words about what the JSON gives as fields: the brief's status,
/// a section failed, cancelled or written from an input regenerated since (<c>stale</c>), what a section was written
/// from (<c>built_on</c>) and what it cost (<c>usage</c>). Plain text: each view escapes it its own way.
/// </summary>
public static class BriefWording
{
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>A section inside a sentence: « à partir de l'étude de marché », « à partir d'une ancienne étude de marché ».</summary>
    record Nouns(string FromThe, string FromAnOld, string The);

    static readonly Dictionary<string, Nouns> InFrench = new()
    {
        [SectionNames.MarketResearch] = new("de l'étude de marché", "d'une ancienne étude de marché", "l'étude de marché"),
        [SectionNames.LogoCreation] = new("du logo", "d'un ancien logo", "le logo"),
        [SectionNames.ContentGeneration] = new("des textes du site", "d'anciens textes du site", "les textes du site"),
        [SectionNames.SeoOptimization] = new("du référencement", "d'un ancien référencement", "le référencement"),
        [SectionNames.TemplateSelection] = new("du choix de modèle", "d'un ancien choix de modèle", "le choix de modèle"),
    };

    static readonly Dictionary<string, Nouns> InEnglish = new()
    {
        [SectionNames.MarketResearch] = new("the market research", "an older market research", "the market research"),
        [SectionNames.LogoCreation] = new("the logo", "an older logo", "the logo"),
        [SectionNames.ContentGeneration] = new("the website copy", "older website copy", "the website copy"),
        [SectionNames.SeoOptimization] = new("the SEO", "older SEO", "the SEO"),
        [SectionNames.TemplateSelection] = new("the template choice", "an older template choice", "the template choice"),
    };

    public static string Status(string status, bool fr) => status switch
    {
        "generating" => fr ? "Génération en cours" : "Generating",
        "regenerating" => fr ? "Régénération en cours" : "Regenerating",
        "ready" => fr ? "Prêt pour le site" : "Ready for the website",
        "incomplete" => fr ? "Incomplet" : "Incomplete",
        "used" => fr ? "Site créé" : "Website created",
        "cancelled" => fr ? "Annulé" : "Cancelled",
        _ => status,
    };

    public static string StaleBadge(bool fr) => fr ? "À actualiser" : "To refresh";

    /// <summary>Why a stale section should be rewritten: « Écrit à partir d'une ancienne étude de marché. … ».</summary>
    public static string Stale(IReadOnlyList<string> changedInputs, bool fr)
    {
        var inputs = And(changedInputs.Select(input => NounsOf(input, fr).FromAnOld), fr);
        return fr
            ? $"Écrit à partir {inputs}. Régénérez cette section pour la mettre à jour."
            : $"Written from {inputs}. Regenerate this section to bring it up to date.";
    }

    public static string Failed(string? error, bool fr) => fr
        ? $"Cette section a échoué : {error ?? "raison inconnue"}. Vous pouvez la régénérer."
        : $"This section failed: {error ?? "unknown reason"}. You can regenerate it.";

    /// <summary>A cancelled section either never got an answer, or keeps the one it had before the cancelled regeneration.</summary>
    public static string Cancelled(bool keepsEarlierVersion, bool fr) => (keepsEarlierVersion, fr) switch
    {
        (false, true) => "Génération annulée avant la fin de cette section. Vous pouvez la régénérer.",
        (false, false) => "Generation was cancelled before this section finished. You can regenerate it.",
        (true, true) => "Régénération annulée : cette section garde sa version précédente.",
        (true, false) => "Regeneration cancelled: this section keeps its previous version.",
    };

    /// <summary>
    /// The result's <c>built_on</c> said in words: which revision of each input it was written from, and the service's
    /// note for an input it had to do without. Null for a section that builds on nothing.
    /// </summary>
    public static string? BuiltOn(JsonElement result, bool fr)
    {
        if (!result.TryGetProperty("built_on", out var builtOn) || builtOn.ValueKind != JsonValueKind.Array)
            return null;

        var used = new List<string>();
        var missing = new List<string>();
        foreach (var input in builtOn.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
        {
            var section = input.TryGetProperty("section", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
            var nouns = NounsOf(section, fr);
            if (input.TryGetProperty("used", out var u) && u.ValueKind == JsonValueKind.True)
                used.Add(input.TryGetProperty("revision", out var r) && r.ValueKind == JsonValueKind.Number
                    ? fr ? $"{nouns.FromThe} de la révision {r.GetInt32()}" : $"{nouns.FromThe} of revision {r.GetInt32()}"
                    : nouns.FromThe);
            else
                missing.Add(input.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String
                    ? note.GetString()!
                    : fr ? $"Écrit sans {nouns.The}, qui n'a pas abouti." : $"Written without {nouns.The}, which did not succeed.");
        }

        var sentences = new List<string>();
        if (used.Count > 0)
            sentences.Add(fr ? $"Écrit à partir {And(used, fr)}." : $"Written from {And(used, fr)}.");
        sentences.AddRange(missing);
        return sentences.Count > 0 ? string.Join(" ", sentences) : null;
    }

    /// <summary>The job that wrote a section: « hors ligne, 1 tentative, 12 ms » or « gpt-4o-mini, 2 tentatives, 2,3 s, 1 840 + 912 jetons ».</summary>
    public static string Cost(SectionUsage usage, bool fr)
    {
        var writer = usage.Backend == "offline" ? fr ? "hors ligne" : "offline" : usage.Model ?? (fr ? "modèle de langage" : "language model");
        var parts = new List<string> { writer, Count(usage.Attempts, fr ? "tentative" : "attempt", fr), Duration(usage.DurationMs, fr) };
        if (usage.PromptTokens is not null || usage.CompletionTokens is not null)
            parts.Add(Tokens(usage.PromptTokens ?? 0, usage.CompletionTokens ?? 0, fr));
        return string.Join(", ", parts);
    }

    /// <summary>Every job answered for the brief: « 5 tâches, 2,3 s, 1 840 + 912 jetons ». Null before the first answer.</summary>
    public static string? Cost(BriefUsage usage, bool fr)
    {
        if (usage.Jobs == 0)
            return null;
        var jobs = Count(usage.Jobs, fr ? "tâche" : "job", fr);
        if (usage.Attempts > usage.Jobs)
            jobs += $" ({Count(usage.Attempts, fr ? "tentative" : "attempt", fr)})";
        var parts = new List<string> { jobs, Duration(usage.DurationMs, fr) };
        if (usage.PromptTokens + usage.CompletionTokens > 0)
            parts.Add(Tokens(usage.PromptTokens, usage.CompletionTokens, fr));
        return string.Join(", ", parts);
    }

    static string Tokens(long prompt, long completion, bool fr) =>
        $"{Number(prompt, fr)} + {Number(completion, fr)} {(fr ? "jetons" : "tokens")}";

    static string Duration(double ms, bool fr) => ms < 1000
        ? $"{Number((long)Math.Round(ms), fr)} ms"
        : $"{(ms / 1000).ToString("N1", fr ? French : English)} s";

    // French puts 0 and 1 in the singular.
    static string Count(long n, string noun, bool fr) => $"{Number(n, fr)} {noun}{(n > 1 || (!fr && n == 0) ? "s" : "")}";

    static string Number(long n, bool fr) => n.ToString("N0", fr ? French : English);

    static Nouns NounsOf(string section, bool fr) =>
        (fr ? InFrench : InEnglish).GetValueOrDefault(section) ?? new(section, section, section);

    static string And(IEnumerable<string> items, bool fr)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list[..^1])} {(fr ? "et" : "and")} {list[^1]}";
    }
}
