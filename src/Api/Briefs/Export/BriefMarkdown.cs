using System.Text;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Briefs.Export;

/// <summary>
/// The whole brief as a Markdown document in its own language: the profile, then each section rendered from its
/// JSON (objects as headings and fields, lists of records as tables, JSON-LD as a code block). Every piece of
/// user or agent text is escaped, so a business named <c>&lt;script&gt;</c> stays text in any Markdown renderer. Each
/// section says when it must be refreshed (written from an input regenerated since), what it was written from and
/// what it cost, in the brief's language (<see cref="BriefWording"/> under <see cref="BriefCulture"/>).
/// </summary>
public class BriefMarkdown(BriefWording wording)
{
    public string Render(BriefResponse brief) => BriefCulture.Render(brief.Language, () =>
    {
        var md = new StringBuilder();
        md.AppendLine($"# {Text(brief.BusinessName)}").AppendLine();
        md.AppendLine(wording.MarkdownIntro).AppendLine();

        md.AppendLine($"| {wording.MarkdownFieldHeader} | {wording.MarkdownValueHeader} |").AppendLine("| --- | --- |");
        foreach (var (field, value) in ProfileRows(brief))
            md.AppendLine($"| {Label(field)} | {Cell(value)} |");
        md.AppendLine();

        var cost = wording.Cost(brief.Usage) is { } c ? " · " + wording.MarkdownCost(Text(c)) : "";
        md.AppendLine(wording.MarkdownStatus(wording.Status(brief.Status), brief.Revision, brief.BriefCompleteness, brief.OverallConfidence) + cost);
        md.AppendLine();

        foreach (var section in SectionNames.All)
            Section(md, brief, section);
        return md.ToString();
    });

    void Section(StringBuilder md, BriefResponse brief, string section)
    {
        md.AppendLine($"## {wording.SectionTitle(section)}").AppendLine();
        var state = brief.Sections.GetValueOrDefault(section);
        var result = SectionResult(brief, section);
        if (state?.Status == SectionStatus.Cancelled)
            md.AppendLine($"> {Text(wording.Cancelled(keepsEarlierVersion: result is not null))}").AppendLine();
        if (result is { } written)
        {
            if (state is { Stale: true })
                md.AppendLine($"> **{wording.StaleBadge}** — {Text(wording.Stale(state.ChangedInputs))}").AppendLine();
            RenderObject(md, written, depth: 3);
            if (wording.BuiltOn(written) is { } builtOn)
                md.AppendLine($"_{Text(builtOn)}_").AppendLine();
        }
        else if (state?.Status == SectionStatus.Failed)
            md.AppendLine($"> {Text(wording.Failed(state.Error))}").AppendLine();
        else if (state?.Status != SectionStatus.Cancelled)
            md.AppendLine($"_{wording.MarkdownNotAvailable}_").AppendLine();
        if (state?.Usage is { } usage)
            md.AppendLine($"_{wording.Labelled(wording.CostLabel, Text(wording.Cost(usage)))}_").AppendLine();
    }

    static IEnumerable<(string Field, string Value)> ProfileRows(BriefResponse b) =>
    [
        ("vision", b.Vision),
        ("mission", b.Mission),
        ("target_audience", b.TargetAudience),
        ("differentiation", b.Differentiation),
        ("value_proposition", b.ValueProposition),
        ("sector", b.Sector),
        ("location", $"{b.Location.City}, {b.Location.Country}"),
    ];

    static JsonElement? SectionResult(BriefResponse b, string section) => section switch
    {
        SectionNames.MarketResearch => b.MarketResearch,
        SectionNames.ContentGeneration => b.ContentGeneration,
        SectionNames.LogoCreation => b.LogoCreation,
        SectionNames.SeoOptimization => b.SeoOptimization,
        SectionNames.TemplateSelection => b.TemplateSelection,
        _ => null,
    };

    void RenderObject(StringBuilder md, JsonElement obj, int depth)
    {
        var scalars = obj.EnumerateObject().Where(p => IsScalar(p.Value)).ToList();
        foreach (var property in scalars)
        {
            if (IsCode(property.Name))
                CodeBlock(md, Label(property.Name), property.Value.ToString(), property.Name.Contains("svg") ? "svg" : "json");
            else
                md.AppendLine($"- {wording.Labelled($"**{Label(property.Name)}**", Text(property.Value.ToString()))}");
        }
        if (scalars.Count > 0)
            md.AppendLine();

        // What the section was built on is said in a sentence under it (BriefWording.BuiltOn), not as a table.
        foreach (var property in obj.EnumerateObject().Where(p => !IsScalar(p.Value) && p.Name != "built_on"))
        {
            md.AppendLine($"{new string('#', Math.Min(depth, 6))} {Label(property.Name)}").AppendLine();
            if (IsCode(property.Name))
                CodeBlock(md, null, JsonSerializer.Serialize(property.Value, Indented), "json");
            else if (property.Value.ValueKind == JsonValueKind.Object)
                RenderObject(md, property.Value, depth + 1);
            else
                RenderArray(md, property.Value, depth + 1);
        }
    }

    void RenderArray(StringBuilder md, JsonElement array, int depth)
    {
        var items = array.EnumerateArray().ToList();
        if (items.All(IsScalar))
        {
            foreach (var item in items)
                md.AppendLine($"- {Text(item.ToString())}");
            md.AppendLine();
            return;
        }

        if (items.All(i => i.ValueKind == JsonValueKind.Object && i.EnumerateObject().All(p => IsScalar(p.Value) && !IsCode(p.Name))))
        {
            var columns = items.SelectMany(i => i.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
            md.AppendLine("| " + string.Join(" | ", columns.Select(Label)) + " |");
            md.AppendLine("|" + string.Concat(columns.Select(_ => " --- |")));
            foreach (var item in items)
                md.AppendLine("| " + string.Join(" | ", columns.Select(c => item.TryGetProperty(c, out var v) ? Cell(v.ToString()) : "")) + " |");
            md.AppendLine();
            return;
        }

        var n = 1;
        foreach (var item in items)
        {
            md.AppendLine($"{new string('#', Math.Min(depth, 6))} {n++}").AppendLine();
            if (item.ValueKind == JsonValueKind.Object)
                RenderObject(md, item, depth + 1);
            else if (item.ValueKind == JsonValueKind.Array)
                RenderArray(md, item, depth + 1);
            else
                md.AppendLine(Text(item.ToString())).AppendLine();
        }
    }

    void CodeBlock(StringBuilder md, string? label, string code, string language)
    {
        // A fence longer than any run of backticks inside, so the content cannot close it.
        var longestRun = 0;
        var run = 0;
        foreach (var c in code)
        {
            run = c == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }
        var fence = new string('`', Math.Max(3, longestRun + 1));
        if (label is not null)
            md.AppendLine(wording.Introducing($"**{label}**")).AppendLine();
        md.AppendLine(fence + language).AppendLine(code).AppendLine(fence).AppendLine();
    }

    static bool IsScalar(JsonElement e) => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    static bool IsCode(string name) => name.Contains("json_ld", StringComparison.OrdinalIgnoreCase) || name.Contains("svg", StringComparison.OrdinalIgnoreCase);

    string Label(string name) => Text(wording.FieldLabel(name));

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Escapes Markdown syntax and raw HTML in a line of text.</summary>
    static string Text(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '&': escaped.Append("&amp;"); break;
                case '\r': break;
                case '\n': escaped.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '!' or '|' or '~':
                    escaped.Append('\\').Append(c);
                    break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }

    static string Cell(string text) => Text(text);
}
