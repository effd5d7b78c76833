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
/// The brief rendered on the server as one self-contained French page: logo concepts, palette, website copy,
/// the search-result preview, the recommended templates and the market research; a section written from an input
/// regenerated since is marked « à actualiser », and the brief and each section say what they cost. Every piece of user or agent
/// text is HTML-encoded; logos are SVG data URIs in <c>&lt;img&gt;</c> (an image cannot run scripts or load
/// anything); the page loads nothing from elsewhere and its Content-Security-Policy forbids scripts altogether.
/// </summary>
public static partial class BriefPreviewPage
{
    const int SeoTitleLength = 60;
    const int SeoDescriptionLength = 160;
    const int ShownTemplates = 3;

    // Keeps accented letters readable in the source while still encoding every character that means something in HTML.
    static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    static readonly Dictionary<string, string> Labels = new()
    {
        ["hero"] = "Bannière d'accueil", ["headline"] = "Titre", ["subheadline"] = "Sous-titre",
        ["call_to_action"] = "Appel à l'action", ["about"] = "À propos", ["services"] = "Services",
        ["contact"] = "Contact", ["home"] = "Accueil", ["city"] = "Ville", ["country"] = "Pays",
        ["summary"] = "Synthèse", ["target_segments"] = "Segments visés", ["strengths"] = "Forces",
        ["opportunities"] = "Opportunités", ["threats"] = "Menaces", ["competitors"] = "Concurrents",
        ["provenance"] = "Source", ["pages"] = "Pages", ["title"] = "Titre", ["description"] = "Description",
        ["body"] = "Texte", ["phone"] = "Téléphone", ["email"] = "Courriel", ["address"] = "Adresse",
        ["tagline"] = "Accroche", ["tone"] = "Ton", ["why_us"] = "Pourquoi nous", ["area_served"] = "Zone desservie",
        ["text"] = "Texte", ["name"] = "Nom", ["needs"] = "Besoins", ["channels"] = "Canaux", ["quote"] = "Citation",
        ["kind"] = "Type", ["type"] = "Type", ["competitor_types"] = "Types de concurrents",
        ["how_they_compete"] = "Comment ils se battent", ["how_to_stand_out"] = "Comment se démarquer", ["swot"] = "SWOT",
        ["weaknesses"] = "Faiblesses", ["risks"] = "Risques", ["pricing_positioning"] = "Positionnement prix",
        ["position"] = "Position", ["label"] = "Libellé", ["rationale"] = "Justification", ["source"] = "Source",
        ["next_steps"] = "Prochaines étapes", ["method"] = "Méthode", ["external_data"] = "Données externes",
        ["note"] = "Note", ["feedback_applied"] = "Retours pris en compte", ["typography"] = "Typographie",
        ["heading"] = "Titres", ["pages"] = "Pages", ["reasons"] = "Raisons", ["role"] = "Rôle", ["mood"] = "Ambiance",
        ["family"] = "Police", ["fallback"] = "Police de secours",
    };

    public static IResult Of(BriefResponse brief)
    {
        var page = new StringBuilder();
        Header(page, brief);
        Section(page, brief, SectionNames.LogoCreation, "Logo et identité visuelle", LogoAndPalette);
        Section(page, brief, SectionNames.ContentGeneration, "Textes du site", (p, result) => Fields(p, result));
        Section(page, brief, SectionNames.SeoOptimization, "Aperçu dans les résultats de recherche", (p, result) => SearchResult(p, brief, result));
        Section(page, brief, SectionNames.TemplateSelection, "Modèles de site recommandés", Templates);
        Section(page, brief, SectionNames.MarketResearch, "Étude de marché", MarketResearch);
        Profile(page, brief);
        return new HtmlPage($"{brief.BusinessName} — brief d'entreprise", page.ToString(), StatusCodes.Status200OK);
    }

    public static IResult NotFound() => new HtmlPage("Brief introuvable", """
        <header class="hero"><h1>Brief introuvable</h1></header>
        <section class="card"><p>Ce brief n'existe pas, a expiré, ou n'appartient pas à la session ouverte.</p></section>
        """, StatusCodes.Status404NotFound);

    public static IResult SignInRequired() => new HtmlPage("Session requise", $"""
        <header class="hero"><h1>Session requise</h1></header>
        <section class="card">
          <p>Pour afficher un brief, ouvrez une session avec votre jeton d'accès, puis rechargez cette page :</p>
          <pre><code>POST {BriefPreviewSession.CookiePath}/session
        Authorization: Bearer &lt;votre jeton&gt;</code></pre>
          <p>Le jeton est gardé dans un cookie réservé aux pages <code>{BriefPreviewSession.CookiePath}/…</code>, illisible par les scripts,
          jamais envoyé par un autre site, et qui expire avec le jeton. <code>DELETE {BriefPreviewSession.CookiePath}/session</code> ferme la session.</p>
        </section>
        """, StatusCodes.Status401Unauthorized);

    static void Header(StringBuilder page, BriefResponse brief)
    {
        page.Append($"""
            <header class="hero">
              <p class="eyebrow">Brief d'entreprise · révision {brief.Revision}</p>
              <h1 lang="{Text(brief.Language)}">{Text(brief.BusinessName)}</h1>
              <p class="meta">{Text(brief.Sector)} · {Text(brief.Location.City)}, {Text(brief.Location.Country)}</p>
              <ul class="facts">
                <li><span class="badge status-{Text(brief.Status)}">{Text(BriefWording.Status(brief.Status, fr: true))}</span></li>
                <li>Complétude <strong>{Percent(brief.BriefCompleteness)}</strong></li>
                <li>Confiance <strong>{Percent(brief.OverallConfidence)}</strong></li>
                {(BriefWording.Cost(brief.Usage, fr: true) is { } cost ? $"<li class=\"cost\">Coût <strong>{Text(cost)}</strong></li>" : "")}
              </ul>
            </header>
            """);
    }

    /// <summary>
    /// A section's card: its result rendered, or why there is none yet; whether it is written from an input regenerated
    /// since, what it was written from and what it cost.
    /// </summary>
    static void Section(StringBuilder page, BriefResponse brief, string name, string title, Action<StringBuilder, JsonElement> render)
    {
        var id = name.Replace('_', '-');
        page.Append($"""<section class="card" id="{id}" aria-labelledby="{id}-title"><h2 id="{id}-title">{title}</h2>""");
        var state = brief.Sections.GetValueOrDefault(name);
        var result = ResultOf(brief, name) is { ValueKind: JsonValueKind.Object } r ? r : (JsonElement?)null;
        if (state?.Status == SectionStatus.Cancelled)
            page.Append($"""<p class="notice cancelled">{Text(BriefWording.Cancelled(keepsEarlierVersion: result is not null, fr: true))}</p>""");
        if (result is { } written)
        {
            if (state is { Stale: true })
                page.Append($"""<p class="notice stale"><span class="badge stale">{BriefWording.StaleBadge(fr: true)}</span> {Text(BriefWording.Stale(state.ChangedInputs, fr: true))}</p>""");
            page.Append($"""<div lang="{Text(brief.Language)}">""");
            render(page, written);
            page.Append("</div>");
            if (BriefWording.BuiltOn(written, fr: true) is { } builtOn)
                page.Append($"""<p class="provenance">{Text(builtOn)}</p>""");
        }
        else if (state?.Status == SectionStatus.Failed)
            page.Append($"""<p class="notice failed">{Text(BriefWording.Failed(state.Error, fr: true))}</p>""");
        else if (state?.Status != SectionStatus.Cancelled)
            page.Append("""<p class="notice" role="status">Section en cours de génération…</p>""");
        if (state?.Usage is { } usage)
            page.Append($"""<p class="cost">Coût : {Text(BriefWording.Cost(usage, fr: true))}</p>""");
        page.Append("</section>");
    }

    static void LogoAndPalette(StringBuilder page, JsonElement logo)
    {
        var concepts = LogoConcepts.All(logo);
        if (concepts.Count > 0)
        {
            page.Append("""<ul class="logos">""");
            foreach (var (concept, n) in concepts.Select((c, i) => (c, i + 1)))
            {
                var name = concept.Name ?? $"concept {n}";
                var image = Convert.ToBase64String(Encoding.UTF8.GetBytes(concept.Svg));
                var description = concept.Description is null ? "" : $"<br><span>{Text(concept.Description)}</span>";
                page.Append($"""<li><figure><img src="data:image/svg+xml;base64,{image}" alt="Logo, {Text(name)}"><figcaption><strong>{Text(name)}</strong>{description}</figcaption></figure></li>""");
            }
            page.Append("</ul>");
        }

        var colours = PaletteColours(logo)
            .Select(c => (Name: string.Join(" · ", new[] { StringOf(c, "name"), StringOf(c, "role") }.OfType<string>()), Hex: StringOf(c, "hex")))
            .Where(c => c.Hex is not null && HexColour().IsMatch(c.Hex))
            .ToList();
        if (colours.Count > 0)
        {
            page.Append("""<h3>Palette</h3><ul class="palette">""");
            foreach (var (name, hex) in colours)
                // The colour goes into a style attribute only after matching #rgb / #rrggbb / #rrggbbaa.
                page.Append($"""<li><span class="swatch" style="background:{hex}"></span><span>{Text(name)}</span> <code>{hex}</code></li>""");
            page.Append("</ul>");
        }

        Fields(page, logo, skip: ["concepts", "palette"]);
    }

    static void SearchResult(StringBuilder page, BriefResponse brief, JsonElement seo)
    {
        var title = StringOf(seo, "title") ?? brief.BusinessName;
        var description = StringOf(seo, "meta_description") ?? StringOf(seo, "description") ?? "";
        var url = $"{Slug(brief.BusinessName)} › {StringOf(seo, "url_slug") ?? Slug(brief.Location.City)}";
        page.Append($"""
            <article class="serp" aria-label="Résultat de recherche tel qu'il s'afficherait">
              <p class="serp-site"><span class="serp-icon" aria-hidden="true">{Text(brief.BusinessName[..1].ToUpperInvariant())}</span>
                <span><span class="serp-name">{Text(brief.BusinessName)}</span><span class="serp-url">{Text(url)}</span></span></p>
              <h3 class="serp-title">{Text(Shorten(title, SeoTitleLength))}</h3>
              <p class="serp-description">{Text(Shorten(description, SeoDescriptionLength))}</p>
            </article>
            <p class="lengths">Titre : {title.Length}/{SeoTitleLength} caractères · description : {description.Length}/{SeoDescriptionLength} caractères</p>
            """);

        var keywords = seo.EnumerateObject()
            .Where(p => p.Name.Contains("keyword", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray())
            .Where(k => k.ValueKind == JsonValueKind.String)
            .Select(k => k.GetString()!)
            .Distinct()
            .ToList();
        if (keywords.Count > 0)
            page.Append($"""<h3>Mots-clés</h3><ul class="chips">{string.Concat(keywords.Select(k => $"<li>{Text(k)}</li>"))}</ul>""");
    }

    static void Templates(StringBuilder page, JsonElement selection)
    {
        var templates = FirstListOfObjects(selection).Take(ShownTemplates).ToList();
        page.Append("""<ol class="templates">""");
        foreach (var template in templates)
        {
            var name = StringOf(template, "name") ?? StringOf(template, "title") ?? StringOf(template, "template_id") ?? "modèle";
            page.Append($"""<li><h3>{Text(name)}</h3>""");
            if (template.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number)
                page.Append($"""<p class="score">Adéquation <strong>{Percent(score.GetDouble())}</strong></p>""");
            Fields(page, template, skip: ["name", "title", "template_id", "score", "rank"]);
            page.Append("</li>");
        }
        page.Append("</ol>");
    }

    /// <summary>The synthesis first; the full analysis (segments, SWOT, pricing…) one click away, as it is long.</summary>
    static void MarketResearch(StringBuilder page, JsonElement research)
    {
        if (StringOf(research, "summary") is { } summary)
            page.Append($"<p>{Text(summary)}</p>");
        page.Append("<details><summary>Analyse complète</summary>");
        Fields(page, research, skip: ["summary"]);
        page.Append("</details>");
    }

    static void Profile(StringBuilder page, BriefResponse brief)
    {
        page.Append($"""
            <section class="card" aria-labelledby="profile-title"><details><summary><h2 id="profile-title">Profil de l'entreprise</h2></summary>
            <dl lang="{Text(brief.Language)}">
              <dt>Vision</dt><dd>{Text(brief.Vision)}</dd>
              <dt>Mission</dt><dd>{Text(brief.Mission)}</dd>
              <dt>Public cible</dt><dd>{Text(brief.TargetAudience)}</dd>
              <dt>Différenciation</dt><dd>{Text(brief.Differentiation)}</dd>
              <dt>Proposition de valeur</dt><dd>{Text(brief.ValueProposition)}</dd>
            </dl></details></section>
            """);
    }

    /// <summary>Any JSON object as a definition list: nested objects nest, lists become lists.</summary>
    static void Fields(StringBuilder page, JsonElement obj, IReadOnlyCollection<string>? skip = null)
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

    static void Value(StringBuilder page, JsonElement value)
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
                page.Append(value.GetBoolean() ? "oui" : "non");
                break;
            default:
                page.Append(Text(value.ToString()));
                break;
        }
    }

    /// <summary>One record of a list (a service, a segment, a competitor…): its name in bold, then one line per field.</summary>
    static void Item(StringBuilder page, JsonElement item)
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

    static string Label(string name) =>
        Labels.GetValueOrDefault(name) ?? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.Replace('_', ' '));

    static string Percent(double ratio) => ratio.ToString("P0", French);

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
