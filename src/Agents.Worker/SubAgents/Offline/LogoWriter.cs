using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Three logo concepts drawn as standalone SVG (an emblem with the initials, a wordmark, a pictogram of the
/// sector beside the name), a WCAG AA palette and a font pairing. Shapes, hue and fonts derive from a stable
/// hash of the name and sector, so different businesses get different logos and the same business always gets
/// the same one. The SVG is built with <see cref="XElement"/>, which escapes the business name as text.
/// </summary>
public class LogoWriter(LogoCatalogue logos) : IOfflineSectionWriter
{
    public static string Section => SectionNames.LogoCreation;

    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static readonly string[] EmblemShapes = ["circle", "rounded-square", "hexagon", "diamond", "shield", "arch"];

    public OfflineSection Write(BriefReading brief)
    {
        var followed = new List<FeedbackDirection>();
        var styleAsked = new[] { FeedbackDirection.Modern, FeedbackDirection.Classic }.Where(brief.Feedback.Asks).ToList();
        var colourAsked = new[] { FeedbackDirection.Warmer, FeedbackDirection.Cooler, FeedbackDirection.Vivid, FeedbackDirection.Sober }.Any(brief.Feedback.Asks);
        // A regeneration that asks for nothing the logo can follow explores other shapes and hues instead.
        var seed = brief.Regenerating && styleAsked.Count == 0 && !colourAsked ? brief.Variant : brief.Identity;

        var palette = Palette.For(brief, seed, followed, logos);
        followed.AddRange(styleAsked);
        var style = logos.Style(brief.Style);
        var fonts = style.Fonts[(int)(seed / 7 % (ulong)style.Fonts.Count)];
        var heading = $"'{fonts.Heading}', {fonts.HeadingFallback}";

        var emblem = EmblemShapes[(int)(seed / 3 % (ulong)EmblemShapes.Length)];
        var badge = EmblemShapes[(int)(seed / 11 % (ulong)EmblemShapes.Length)];
        var initials = Initials(brief.Name);
        var colourName = palette.Colours[0].Name.ToLower(brief.Culture);
        var motif = logos.MotifOf(brief.Sector.Motif);

        var concepts = new JsonArray(
            Concept("emblem", brief.Phrase("ConceptEmblemName"),
                brief.Phrase("ConceptEmblemDescription", initials, colourName, brief.Phrase($"Shape_{emblem}")),
                Emblem(brief.Name, initials, emblem, palette, heading)),
            Concept("wordmark", brief.Phrase("ConceptWordmarkName"),
                brief.Phrase("ConceptWordmarkDescription", fonts.Heading, brief.Phrase($"Underline_{style.Underline}")),
                Wordmark(brief.Name, brief.SectorKeyword, style.Underline, palette, heading)),
            Concept("pictogram", brief.Phrase("ConceptPictogramName"),
                brief.Phrase("ConceptPictogramDescription", brief.Phrase($"Motif_{motif.Id}")),
                Pictogram(brief.Name, brief.SectorKeyword, motif, badge, seed, palette, heading)));

        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["concepts"] = concepts,
            ["palette"] = palette.ToJson(),
            ["typography"] = new JsonObject
            {
                ["heading"] = new JsonObject { ["family"] = fonts.Heading, ["fallback"] = fonts.HeadingFallback },
                ["body"] = new JsonObject { ["family"] = fonts.Body, ["fallback"] = "sans-serif" },
                ["rationale"] = brief.Phrase($"TypographyRationale_{brief.Style}") + " " + brief.Phrase("FreeFonts"),
            },
        };
        return new OfflineSection(result, followed);
    }

    static JsonObject Concept(string id, string name, string description, XElement svg) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["description"] = description,
        ["svg"] = svg.ToString(SaveOptions.DisableFormatting),
    };

    /// <summary>The first letter of the first two words that start with a letter or digit ("Boulangerie Teranga" → "BT").</summary>
    public static string Initials(string name)
    {
        var letters = name.Split([' ', '-', '\'', '’', '&', '.', '_'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.FirstOrDefault(char.IsLetterOrDigit))
            .Where(c => c != default)
            .Take(2)
            .Select(c => char.ToUpperInvariant(c).ToString())
            .ToList();
        return letters.Count > 0 ? string.Concat(letters) : "★";
    }

    static XElement Document(int width, int height, string name, Palette palette, params object[] content) =>
        new(Svg + "svg",
            new XAttribute("viewBox", $"0 0 {width} {height}"),
            new XAttribute("width", width),
            new XAttribute("height", height),
            new XAttribute("role", "img"),
            new XAttribute("aria-label", name),
            new XElement(Svg + "title", name),
            new XElement(Svg + "rect", new XAttribute("width", width), new XAttribute("height", height), new XAttribute("fill", palette["background"].Hex)),
            content);

    /// <summary>A text line sized so that the name fits the given width (about 0.6 em per character).</summary>
    static XElement Line(string text, double x, double y, double maxWidth, double maxSize, string anchor, string font, string colour, int weight = 700, double spacing = 0)
    {
        var size = Math.Max(8, Math.Min(maxSize, maxWidth / Math.Max(1, text.Length * (0.6 + spacing / maxSize))));
        var line = new XElement(Svg + "text",
            new XAttribute("x", Num(x)), new XAttribute("y", Num(y)),
            new XAttribute("font-family", font), new XAttribute("font-size", Num(size)), new XAttribute("font-weight", weight),
            new XAttribute("fill", colour), new XAttribute("text-anchor", anchor), new XAttribute("dominant-baseline", "middle"),
            text);
        if (spacing > 0)
            line.Add(new XAttribute("letter-spacing", Num(spacing)));
        return line;
    }

    static XElement Emblem(string name, string initials, string shape, Palette palette, string font) =>
        Document(240, 240, name, palette,
            Shape(shape, 120, 100, 70, palette["primary"].Hex),
            Shape(shape, 120, 100, 60, "none", palette["accent"].Hex, 3),
            Line(initials, 120, 102, 90, 54, "middle", font, palette["on_primary"].Hex),
            Line(name, 120, 212, 220, 22, "middle", font, palette["text"].Hex));

    static XElement Wordmark(string name, string sector, string underlineKind, Palette palette, string font)
    {
        var nameWidth = Math.Min(430, name.Length * 0.6 * Math.Min(52, 430.0 / Math.Max(1, name.Length * 0.6)));
        var left = 240 - nameWidth / 2;
        var accent = palette["accent"].Hex;
        object underline = underlineKind switch
        {
            "wave" => Stroke($"M{Num(left)} 116 q{Num(nameWidth / 8)} -10 {Num(nameWidth / 4)} 0 t{Num(nameWidth / 4)} 0 t{Num(nameWidth / 4)} 0 t{Num(nameWidth / 4)} 0", accent, 4),
            "diamond" => new object[]
            {
                Stroke($"M{Num(left)} 114 H{Num(236)} M{Num(244)} 114 H{Num(left + nameWidth)}", accent, 1.5),
                new XElement(Svg + "rect", new XAttribute("x", 236), new XAttribute("y", 110), new XAttribute("width", 8), new XAttribute("height", 8),
                    new XAttribute("transform", "rotate(45 240 114)"), new XAttribute("fill", accent)),
            },
            "bar" => new XElement(Svg + "rect", new XAttribute("x", Num(left)), new XAttribute("y", 110), new XAttribute("width", Num(nameWidth)),
                new XAttribute("height", 10), new XAttribute("rx", 5), new XAttribute("fill", accent)),
            _ => new XElement(Svg + "rect", new XAttribute("x", Num(left)), new XAttribute("y", 112), new XAttribute("width", Num(nameWidth * 0.35)),
                new XAttribute("height", 5), new XAttribute("fill", accent)),
        };
        return Document(480, 160, name, palette,
            Line(name, 240, 76, 430, 52, "middle", font, palette["primary"].Hex),
            underline,
            Line(sector.ToUpperInvariant(), 240, 140, 400, 14, "middle", font, palette["secondary"].Hex, weight: 600, spacing: 3));
    }

    static XElement Pictogram(string name, string sector, Motif motif, string shape, ulong seed, Palette palette, string font) =>
        Document(520, 160, name, palette,
            Shape(shape, 80, 80, 56, palette["primary"].Hex),
            new XElement(Svg + "g", new XAttribute("transform", "translate(46 46) scale(0.68)"),
                Drawing(motif, palette["on_primary"].Hex, palette["primary"].Hex, seed)),
            Line(name, 156, 70, 340, 40, "start", font, palette["text"].Hex),
            Line(sector, 156, 110, 340, 18, "start", font, palette["secondary"].Hex, weight: 500));

    static XElement Stroke(string path, string colour, double width) =>
        new(Svg + "path", new XAttribute("d", path), new XAttribute("fill", "none"), new XAttribute("stroke", colour),
            new XAttribute("stroke-width", Num(width)), new XAttribute("stroke-linecap", "round"), new XAttribute("stroke-linejoin", "round"));

    static XElement Shape(string shape, double cx, double cy, double r, string fill, string? stroke = null, double strokeWidth = 0)
    {
        XElement element = shape switch
        {
            "circle" => new XElement(Svg + "circle", new XAttribute("cx", Num(cx)), new XAttribute("cy", Num(cy)), new XAttribute("r", Num(r))),
            "rounded-square" => new XElement(Svg + "rect", new XAttribute("x", Num(cx - r)), new XAttribute("y", Num(cy - r)),
                new XAttribute("width", Num(2 * r)), new XAttribute("height", Num(2 * r)), new XAttribute("rx", Num(r * 0.28))),
            "hexagon" => Polygon(Enumerable.Range(0, 6).Select(i => (cx + r * Math.Cos(Math.PI / 3 * i), cy + r * Math.Sin(Math.PI / 3 * i)))),
            "diamond" => Polygon([(cx, cy - r * 1.1), (cx + r * 1.1, cy), (cx, cy + r * 1.1), (cx - r * 1.1, cy)]),
            "shield" => new XElement(Svg + "path", new XAttribute("d",
                $"M{Num(cx - r)} {Num(cy - r)} H{Num(cx + r)} V{Num(cy)} Q{Num(cx + r)} {Num(cy + r)} {Num(cx)} {Num(cy + r * 1.1)} Q{Num(cx - r)} {Num(cy + r)} {Num(cx - r)} {Num(cy)} Z")),
            _ => new XElement(Svg + "path", new XAttribute("d",
                $"M{Num(cx - r)} {Num(cy + r)} V{Num(cy)} A{Num(r)} {Num(r)} 0 0 1 {Num(cx + r)} {Num(cy)} V{Num(cy + r)} Z")),
        };
        element.Add(new XAttribute("fill", fill));
        if (stroke is not null)
            element.Add(new XAttribute("stroke", stroke), new XAttribute("stroke-width", Num(strokeWidth)));
        return element;
    }

    static XElement Polygon(IEnumerable<(double X, double Y)> points) =>
        new(Svg + "polygon", new XAttribute("points", string.Join(" ", points.Select(p => $"{Num(p.X)},{Num(p.Y)}"))));

    /// <summary>A sector pictogram drawn in a 100×100 box, in the colours of the badge it sits on.</summary>
    static IEnumerable<XElement> Drawing(Motif motif, string ink, string paper, ulong seed)
    {
        foreach (var template in motif.Elements)
        {
            var element = new XElement(template);
            foreach (var attribute in element.Attributes())
                attribute.Value = attribute.Value.Replace("{ink}", ink).Replace("{paper}", paper);
            yield return element;
        }
        if (motif.Rays is { } rays)
        {
            var count = rays.Least + (int)(seed % (ulong)rays.More);
            var d = string.Join(" ", Enumerable.Range(0, count).Select(i =>
            {
                var a = 2 * Math.PI * i / count;
                return $"M{Num(50 + rays.Inner * Math.Cos(a))} {Num(50 + rays.Inner * Math.Sin(a))} L{Num(50 + rays.Outer * Math.Cos(a))} {Num(50 + rays.Outer * Math.Sin(a))}";
            }));
            yield return Stroke(d, ink, rays.Width);
        }
    }

    static string Num(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
}
