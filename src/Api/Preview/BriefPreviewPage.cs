using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Briefs.Export;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Preview;

/// <summary>
/// The brief rendered on the server as one self-contained page in the brief's language: logo concepts, palette,
/// website copy, the search-result preview, the recommended templates and the market research; a section written from
/// an input regenerated since is marked to refresh, and the brief and each section say what they cost. Every piece of
/// user or agent text is HTML-encoded; logos are SVG data URIs in <c>&lt;img&gt;</c> (an image cannot run scripts or load
/// anything); the page loads nothing from elsewhere and its Content-Security-Policy forbids scripts altogether.
/// </summary>
public sealed partial class BriefPreviewPage(BriefWording wording, PreviewWording texts)
{
    const int SeoTitleLength = 60;
    const int SeoDescriptionLength = 160;
    const int ShownTemplates = 3;

    // Keeps accented letters readable in the source while still encoding every character that means something in HTML.
    static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// In the brief's language, not the request's: the page's labels sit around the agents' text, which is in the
    /// brief's language, and say what the Markdown export of the same brief says.
    /// </summary>
    public IResult Of(BriefResponse brief) => BriefCulture.Render(brief.Language, () =>
    {
        var page = new StringBuilder();
        Header(page, brief);
        Section(page, brief, SectionNames.LogoCreation, LogoAndPalette);
        Section(page, brief, SectionNames.ContentGeneration, (p, result) => Fields(p, result));
        Section(page, brief, SectionNames.SeoOptimization, (p, result) => SearchResult(p, brief, result));
        Section(page, brief, SectionNames.TemplateSelection, Templates);
        Section(page, brief, SectionNames.MarketResearch, MarketResearch);
        Profile(page, brief);
        return Page(texts.PageTitle(brief.BusinessName), page.ToString(), StatusCodes.Status200OK);
    });

    // Pages without a brief to show are in the request's language.
    public IResult NotFound() => Page(texts.NotFoundTitle, $"""
        <header class="hero"><h1>{Text(texts.NotFoundTitle)}</h1></header>
        <section class="card"><p>{Text(texts.NotFound)}</p></section>
        """, StatusCodes.Status404NotFound);

    public IResult SignInRequired(Guid briefId)
    {
        const string close = $"<code>DELETE {BriefPreviewSession.PagePath}/session</code>";
        return Page(texts.SignInRequiredTitle, $"""
            <header class="hero"><h1>{Text(texts.SignInRequiredTitle)}</h1></header>
            <section class="card">
              <p>{Text(texts.SignInRequired)}</p>
              <pre><code>POST {BriefPreviewSession.PagePath}/session?brief_id={briefId}
            Authorization: Bearer &lt;{Text(texts.YourToken)}&gt;</code></pre>
              <p>{string.Format(CultureInfo.CurrentCulture, Text(texts.SessionCookie), close)}</p>
            </section>
            """, StatusCodes.Status401Unauthorized);
    }

    static HtmlPage Page(string title, string content, int statusCode) =>
        new(title, content, statusCode, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    void Header(StringBuilder page, BriefResponse brief)
    {
        var cost = wording.Cost(brief.Usage) is { } c ? $"<li class=\"cost\">{Text(wording.CostLabel)} <strong>{Text(c)}</strong></li>" : "";
        page.Append($"""
            <header class="hero">
              <p class="eyebrow">{Text(texts.Eyebrow(brief.Revision))}</p>
              <h1>{Text(brief.BusinessName)}</h1>
              <p class="meta">{Text(brief.Sector)} · {Text(brief.Location.City)}, {Text(brief.Location.Country)}</p>
              <ul class="facts">
                <li><span class="badge status-{Text(brief.Status)}">{Text(wording.Status(brief.Status))}</span></li>
                <li>{Text(texts.Completeness)} <strong>{Percent(brief.BriefCompleteness)}</strong></li>
                <li>{Text(texts.Confidence)} <strong>{Percent(brief.OverallConfidence)}</strong></li>
                {cost}
              </ul>
            </header>
            """);
    }

    /// <summary>
    /// A section's card: its result rendered, or why there is none yet; whether it is written from an input regenerated
    /// since, what it was written from and what it cost.
    /// </summary>
    void Section(StringBuilder page, BriefResponse brief, string name, Action<StringBuilder, JsonElement> render)
    {
        var id = name.Replace('_', '-');
        page.Append($"""<section class="card" id="{id}" aria-labelledby="{id}-title"><h2 id="{id}-title">{Text(texts.SectionTitle(name))}</h2>""");
        var state = brief.Sections.GetValueOrDefault(name);
        var result = ResultOf(brief, name) is { ValueKind: JsonValueKind.Object } r ? r : (JsonElement?)null;
        if (state?.Status == SectionStatus.Cancelled)
            page.Append($"""<p class="notice cancelled">{Text(wording.Cancelled(keepsEarlierVersion: result is not null))}</p>""");
        if (result is { } written)
        {
            if (state is { Stale: true })
                page.Append($"""<p class="notice stale"><span class="badge stale">{Text(wording.StaleBadge)}</span> {Text(wording.Stale(state.ChangedInputs))}</p>""");
            render(page, written);
            if (wording.BuiltOn(written) is { } builtOn)
                page.Append($"""<p class="provenance">{Text(builtOn)}</p>""");
        }
        else if (state?.Status == SectionStatus.Failed)
            page.Append($"""<p class="notice failed">{Text(wording.Failed(state.Error))}</p>""");
        else if (state?.Status != SectionStatus.Cancelled)
            page.Append($"""<p class="notice" role="status">{Text(texts.InProgress)}</p>""");
        if (state?.Usage is { } usage)
            page.Append($"""<p class="cost">{Text(wording.Labelled(wording.CostLabel, wording.Cost(usage)))}</p>""");
        page.Append("</section>");
    }

    void LogoAndPalette(StringBuilder page, JsonElement logo)
    {
        var concepts = LogoConcepts.All(logo);
        if (concepts.Count > 0)
        {
            page.Append("""<ul class="logos">""");
            foreach (var (concept, n) in concepts.Select((c, i) => (c, i + 1)))
            {
                var name = concept.Name ?? texts.Concept(n);
                var image = Convert.ToBase64String(Encoding.UTF8.GetBytes(concept.Svg));
                var description = concept.Description is null ? "" : $"<br><span>{Text(concept.Description)}</span>";
                page.Append($"""<li><figure><img src="data:image/svg+xml;base64,{image}" alt="{Text(texts.LogoAlt(name))}"><figcaption><strong>{Text(name)}</strong>{description}</figcaption></figure></li>""");
            }
            page.Append("</ul>");
        }

        var colours = PaletteColours(logo)
            .Select(c => (Name: string.Join(" · ", new[] { StringOf(c, "name"), StringOf(c, "role") }.OfType<string>()), Hex: StringOf(c, "hex")))
            .Where(c => c.Hex is not null && HexColour().IsMatch(c.Hex))
            .ToList();
        if (colours.Count > 0)
        {
            page.Append($"""<h3>{Text(texts.Palette)}</h3><ul class="palette">""");
            foreach (var (name, hex) in colours)
                // The colour goes into a style attribute only after matching #rgb / #rrggbb / #rrggbbaa.
                page.Append($"""<li><span class="swatch" style="background:{hex}"></span><span>{Text(name)}</span> <code>{hex}</code></li>""");
            page.Append("</ul>");
        }

        Fields(page, logo, skip: ["concepts", "palette"]);
    }

    void SearchResult(StringBuilder page, BriefResponse brief, JsonElement seo)
    {
        var title = StringOf(seo, "title") ?? brief.BusinessName;
        var description = StringOf(seo, "meta_description") ?? StringOf(seo, "description") ?? "";
        var url = $"{Slug(brief.BusinessName)} › {StringOf(seo, "url_slug") ?? Slug(brief.Location.City)}";
        page.Append($"""
            <article class="serp" aria-label="{Text(texts.SearchResult)}">
              <p class="serp-site"><span class="serp-icon" aria-hidden="true">{Text(brief.BusinessName[..1].ToUpperInvariant())}</span>
                <span><span class="serp-name">{Text(brief.BusinessName)}</span><span class="serp-url">{Text(url)}</span></span></p>
              <h3 class="serp-title">{Text(Shorten(title, SeoTitleLength))}</h3>
              <p class="serp-description">{Text(Shorten(description, SeoDescriptionLength))}</p>
            </article>
            <p class="lengths">{Text(texts.Lengths(title.Length, SeoTitleLength, description.Length, SeoDescriptionLength))}</p>
            """);

        var keywords = seo.EnumerateObject()
            .Where(p => p.Name.Contains("keyword", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray())
            .Where(k => k.ValueKind == JsonValueKind.String)
            .Select(k => k.GetString()!)
            .Distinct()
            .ToList();
        if (keywords.Count > 0)
            page.Append($"""<h3>{Text(texts.Keywords)}</h3><ul class="chips">{string.Concat(keywords.Select(k => $"<li>{Text(k)}</li>"))}</ul>""");
    }

    void Templates(StringBuilder page, JsonElement selection)
    {
        var templates = FirstListOfObjects(selection).Take(ShownTemplates).ToList();
        page.Append("""<ol class="templates">""");
        foreach (var template in templates)
        {
            var name = StringOf(template, "name") ?? StringOf(template, "title") ?? StringOf(template, "template_id") ?? texts.Template;
            page.Append($"""<li><h3>{Text(name)}</h3>""");
            if (template.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number)
                page.Append($"""<p class="score">{Text(texts.Fit)} <strong>{Percent(score.GetDouble())}</strong></p>""");
            Fields(page, template, skip: ["name", "title", "template_id", "score", "rank"]);
            page.Append("</li>");
        }
        page.Append("</ol>");
    }

    /// <summary>The synthesis first; the full analysis (segments, SWOT, pricing…) one click away, as it is long.</summary>
    void MarketResearch(StringBuilder page, JsonElement research)
    {
        if (StringOf(research, "summary") is { } summary)
            page.Append($"<p>{Text(summary)}</p>");
        page.Append($"<details><summary>{Text(texts.FullAnalysis)}</summary>");
        Fields(page, research, skip: ["summary"]);
        page.Append("</details>");
    }

    void Profile(StringBuilder page, BriefResponse brief)
    {
        (string Field, string Value)[] rows =
        [
            ("vision", brief.Vision), ("mission", brief.Mission), ("target_audience", brief.TargetAudience),
            ("differentiation", brief.Differentiation), ("value_proposition", brief.ValueProposition),
        ];
        page.Append($"""<section class="card" aria-labelledby="profile-title"><details><summary><h2 id="profile-title">{Text(texts.Profile)}</h2></summary><dl>""");
        foreach (var (field, value) in rows)
            page.Append($"<dt>{Text(Label(field))}</dt><dd>{Text(value)}</dd>");
        page.Append("</dl></details></section>");
    }

    /// <summary>Any JSON object as a definition list: nested objects nest, lists become lists.</summary>
    void Fields(StringBuilder page, JsonElement obj, IReadOnlyCollection<string>? skip = null)
    {
        var shown = obj.EnumerateObject()
            .Where(p => skip?.Contains(p.Name) != true && !IsMachineField(p.Name) && p.Value.ValueKind != JsonValueKind.Null)
            .ToList();
        if (shown.Count == 0)
            return;

        page.Append("<dl>");
        foreach (var property in shown)
        {
            page.Append($"<dt>{Text(Label(property.Name))}</dt><dd>");
            Value(page, property.Value);
            page.Append("</dd>");
        }
        page.Append("</dl>");
    }

    void Value(StringBuilder page, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                Fields(page, value);
                break;
            case JsonValueKind.Array:
                var records = value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Object);
                page.Append(records ? "<ul class=\"items\">" : "<ul>");
                foreach (var item in value.EnumerateArray())
                {
                    page.Append("<li>");
                    if (records)
                        Item(page, item);
                    else
                        Value(page, item);
                    page.Append("</li>");
                }
                page.Append("</ul>");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                page.Append(Text(texts.YesOrNo(value.GetBoolean())));
                break;
            default:
                page.Append(Text(value.ToString()));
                break;
        }
    }

    /// <summary>One record of a list (a service, a segment, a competitor…): its name in bold, then one line per field.</summary>
    void Item(StringBuilder page, JsonElement item)
    {
        var titleField = TitleFields.FirstOrDefault(f => StringOf(item, f) is not null);
        if (titleField is not null)
            page.Append($"<strong>{Text(StringOf(item, titleField)!)}</strong>");
        foreach (var property in item.EnumerateObject().Where(p => p.Name != titleField && !IsMachineField(p.Name) && p.Value.ValueKind != JsonValueKind.Null))
        {
            page.Append($"""<p class="field"><span class="key">{Text(Label(property.Name))}</span> """);
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String))
                page.Append(Text(string.Join(" · ", property.Value.EnumerateArray().Select(i => i.GetString()))));
            else
                Value(page, property.Value);
            page.Append("</p>");
        }
    }

    static readonly string[] TitleFields = ["name", "title", "type", "label", "foreground"];

    // Scores, language and tone codes, raw SVG and JSON-LD are for machines: the page shows what they produce instead.
    // What a section was built on is said in a sentence under it.
    static bool IsMachineField(string name) =>
        name is "confidence" or "language" or "tone" or "built_on" || name.Contains("svg", StringComparison.Ordinal) || name.Contains("json_ld", StringComparison.Ordinal);

    static JsonElement? ResultOf(BriefResponse brief, string section) => section switch
    {
        SectionNames.MarketResearch => brief.MarketResearch,
        SectionNames.ContentGeneration => brief.ContentGeneration,
        SectionNames.LogoCreation => brief.LogoCreation,
        SectionNames.SeoOptimization => brief.SeoOptimization,
        SectionNames.TemplateSelection => brief.TemplateSelection,
        _ => null,
    };

    static IEnumerable<JsonElement> FirstListOfObjects(JsonElement obj) =>
        obj.EnumerateObject()
            .Select(p => p.Value)
            .Where(v => v.ValueKind == JsonValueKind.Array && v.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.Object))
            .Select(v => v.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
            .FirstOrDefault() ?? [];

    /// <summary>The colours of <c>palette</c>: a list of colours, or an object that holds one (<c>palette.colors</c>).</summary>
    static IEnumerable<JsonElement> PaletteColours(JsonElement logo) =>
        !logo.TryGetProperty("palette", out var palette) ? []
        : palette.ValueKind == JsonValueKind.Array ? palette.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object)
        : palette.ValueKind == JsonValueKind.Object ? FirstListOfObjects(palette)
        : [];

    static string? StringOf(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    string Label(string name) => wording.FieldLabel(name);

    static string Percent(double ratio) => ratio.ToString("P0", CultureInfo.CurrentCulture);

    static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)].TrimEnd() + "…";

    static string Slug(string text) =>
        NotSlug().Replace(text.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Aggregate(new StringBuilder(), (s, c) => s.Append(char.ToLowerInvariant(c))).ToString(), "-").Trim('-');

    static string Text(string text) => Html.Encode(text);

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
    private static partial Regex HexColour();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
