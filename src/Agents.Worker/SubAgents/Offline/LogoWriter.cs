using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BusinessBrief.Contracts;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Three logo concepts drawn as standalone SVG (an emblem with the initials, a wordmark, a pictogram of the
/// sector beside the name), a WCAG AA palette and a font pairing. Shapes, hue and fonts derive from a stable
/// hash of the name and sector, so different businesses get different logos and the same business always gets
/// the same one. The SVG is built with <see cref="XElement"/>, which escapes the business name as text.
/// </summary>
public class LogoWriter : IOfflineSectionWriter
{
    public static string Section => SectionNames.LogoCreation;

    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static readonly string[] EmblemShapes = ["circle", "rounded-square", "hexagon", "diamond", "shield", "arch"];

    static readonly Dictionary<string, (string Heading, string HeadingFallback, string Body)[]> FontPairs = new()
    {
        ["warm"] = [("Fraunces", "serif", "Nunito"), ("Baloo 2", "sans-serif", "Mulish")],
        ["modern"] = [("Montserrat", "sans-serif", "Inter"), ("Poppins", "sans-serif", "Work Sans")],
        ["classic"] = [("Playfair Display", "serif", "Source Sans 3"), ("Libre Baskerville", "serif", "Lato")],
        ["elegant"] = [("Cormorant Garamond", "serif", "Raleway"), ("Marcellus", "serif", "Josefin Sans")],
        ["vivid"] = [("Rubik", "sans-serif", "Karla"), ("Bricolage Grotesque", "sans-serif", "DM Sans")],
        ["minimal"] = [("Manrope", "sans-serif", "IBM Plex Sans"), ("Inter", "sans-serif", "Inter")],
    };

    public OfflineSection Write(BriefReading brief)
    {
        var followed = new List<FeedbackDirection>();
        var styleAsked = new[] { FeedbackDirection.Modern, FeedbackDirection.Classic }.Where(brief.Feedback.Asks).ToList();
        var colourAsked = new[] { FeedbackDirection.Warmer, FeedbackDirection.Cooler, FeedbackDirection.Vivid, FeedbackDirection.Sober }.Any(brief.Feedback.Asks);
        // A regeneration that asks for nothing the logo can follow explores other shapes and hues instead.
        var seed = brief.Regenerating && styleAsked.Count == 0 && !colourAsked ? brief.Variant : brief.Identity;

        var palette = Palette.For(brief, seed, followed);
        followed.AddRange(styleAsked);
        var style = brief.Style;
        var fonts = FontPairs[style][(int)(seed / 7 % 2)];
        var heading = $"'{fonts.Heading}', {fonts.HeadingFallback}";

        var emblem = EmblemShapes[(int)(seed / 3 % (ulong)EmblemShapes.Length)];
        var badge = EmblemShapes[(int)(seed / 11 % (ulong)EmblemShapes.Length)];
        var initials = Initials(brief.Name);
        var colourName = palette.Colours[0].Name.ToLower(CultureInfo.GetCultureInfo(brief.Language));

        var concepts = new JsonArray(
            Concept("emblem", brief.Say("Emblème monogramme", "Monogram emblem"),
                brief.Say($"Les initiales {initials} dans une forme {ShapeName(emblem, brief)} {colourName} : pour l'avatar WhatsApp et réseaux sociaux, le tampon des emballages.",
                          $"The initials {initials} in a {colourName} {ShapeName(emblem, brief)}: for the WhatsApp and social media avatar and packaging stamps."),
                Emblem(brief.Name, initials, emblem, palette, heading)),
            Concept("wordmark", brief.Say("Logotype", "Wordmark"),
                brief.Say($"Le nom en entier en {fonts.Heading}, souligné d'un trait {Underline(style, brief)} : pour l'enseigne, l'en-tête du site et les factures.",
                          $"The full name in {fonts.Heading}, underlined with a {Underline(style, brief)} stroke: for the shop sign, the website header and invoices."),
                Wordmark(brief.Name, brief.SectorKeyword, style, palette, heading)),
            Concept("pictogram", brief.Say("Pictogramme et nom", "Icon and name"),
                brief.Say($"Un pictogramme ({MotifName(brief.Sector.Motif, brief)}) à côté du nom : lisible en petit, pour la fiche Google et les cartes de visite.",
                          $"An icon ({MotifName(brief.Sector.Motif, brief)}) beside the name: legible when small, for the Google listing and business cards."),
                Pictogram(brief.Name, brief.SectorKeyword, brief.Sector.Motif, badge, seed, palette, heading)));

        var result = new JsonObject
        {
            ["language"] = brief.Language,
            ["concepts"] = concepts,
            ["palette"] = palette.ToJson(),
            ["typography"] = new JsonObject
            {
                ["heading"] = new JsonObject { ["family"] = fonts.Heading, ["fallback"] = fonts.HeadingFallback },
                ["body"] = new JsonObject { ["family"] = fonts.Body, ["fallback"] = "sans-serif" },
                ["rationale"] = Rationale(style, brief),
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

    static XElement Wordmark(string name, string sector, string style, Palette palette, string font)
    {
        var nameWidth = Math.Min(430, name.Length * 0.6 * Math.Min(52, 430.0 / Math.Max(1, name.Length * 0.6)));
        var left = 240 - nameWidth / 2;
        var accent = palette["accent"].Hex;
        object underline = style switch
        {
            "warm" => Stroke($"M{Num(left)} 116 q{Num(nameWidth / 8)} -10 {Num(nameWidth / 4)} 0 t{Num(nameWidth / 4)} 0 t{Num(nameWidth / 4)} 0 t{Num(nameWidth / 4)} 0", accent, 4),
            "classic" or "elegant" => new object[]
            {
                Stroke($"M{Num(left)} 114 H{Num(236)} M{Num(244)} 114 H{Num(left + nameWidth)}", accent, 1.5),
                new XElement(Svg + "rect", new XAttribute("x", 236), new XAttribute("y", 110), new XAttribute("width", 8), new XAttribute("height", 8),
                    new XAttribute("transform", "rotate(45 240 114)"), new XAttribute("fill", accent)),
            },
            "vivid" => new XElement(Svg + "rect", new XAttribute("x", Num(left)), new XAttribute("y", 110), new XAttribute("width", Num(nameWidth)),
                new XAttribute("height", 10), new XAttribute("rx", 5), new XAttribute("fill", accent)),
            _ => new XElement(Svg + "rect", new XAttribute("x", Num(left)), new XAttribute("y", 112), new XAttribute("width", Num(nameWidth * 0.35)),
                new XAttribute("height", 5), new XAttribute("fill", accent)),
        };
        return Document(480, 160, name, palette,
            Line(name, 240, 76, 430, 52, "middle", font, palette["primary"].Hex),
            underline,
            Line(sector.ToUpperInvariant(), 240, 140, 400, 14, "middle", font, palette["secondary"].Hex, weight: 600, spacing: 3));
    }

    static XElement Pictogram(string name, string sector, string motif, string shape, ulong seed, Palette palette, string font) =>
        Document(520, 160, name, palette,
            Shape(shape, 80, 80, 56, palette["primary"].Hex),
            new XElement(Svg + "g", new XAttribute("transform", "translate(46 46) scale(0.68)"),
                Motif(motif, palette["on_primary"].Hex, palette["primary"].Hex, seed)),
            Line(name, 156, 70, 340, 40, "start", font, palette["text"].Hex),
            Line(sector, 156, 110, 340, 18, "start", font, palette["secondary"].Hex, weight: 500));

    static XElement Stroke(string path, string colour, double width) =>
        new(Svg + "path", new XAttribute("d", path), new XAttribute("fill", "none"), new XAttribute("stroke", colour),
            new XAttribute("stroke-width", Num(width)), new XAttribute("stroke-linecap", "round"), new XAttribute("stroke-linejoin", "round"));

    static XElement Fill(string path, string colour) => new(Svg + "path", new XAttribute("d", path), new XAttribute("fill", colour));

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

    /// <summary>A sector pictogram drawn in a 100×100 box.</summary>
    static IEnumerable<XElement> Motif(string motif, string ink, string paper, ulong seed)
    {
        switch (motif)
        {
            case "wheat":
                yield return Stroke("M50 92 V18", ink, 4);
                for (var i = 0; i < 3; i++)
                    foreach (var side in new[] { -1, 1 })
                        yield return new XElement(Svg + "ellipse", new XAttribute("cx", 50 + side * 9), new XAttribute("cy", 30 + i * 17),
                            new XAttribute("rx", 6), new XAttribute("ry", 12), new XAttribute("fill", ink),
                            new XAttribute("transform", $"rotate({side * 32} {50 + side * 9} {30 + i * 17})"));
                yield return new XElement(Svg + "ellipse", new XAttribute("cx", 50), new XAttribute("cy", 14), new XAttribute("rx", 6), new XAttribute("ry", 11), new XAttribute("fill", ink));
                break;
            case "cup":
                yield return Fill("M22 42 H74 V60 A26 24 0 0 1 22 60 Z", ink);
                yield return Stroke("M74 48 H80 A9 9 0 0 1 80 66 H72", ink, 5);
                yield return Stroke("M38 34 q-6 -8 0 -14 q6 -7 0 -14 M56 34 q-6 -8 0 -14 q6 -7 0 -14", ink, 3.5);
                yield return Stroke("M16 92 H80", ink, 4);
                break;
            case "needle":
                yield return Stroke("M18 84 L80 22", ink, 6);
                yield return new XElement(Svg + "ellipse", new XAttribute("cx", 74), new XAttribute("cy", 28), new XAttribute("rx", 2.5),
                    new XAttribute("ry", 7), new XAttribute("fill", paper), new XAttribute("transform", "rotate(45 74 28)"));
                yield return Stroke("M78 24 C98 44 40 58 48 74 C54 86 30 92 20 88", ink, 2.5);
                break;
            case "bowl":
                yield return Fill("M12 50 H88 A38 34 0 0 1 12 50 Z", ink);
                yield return Fill("M38 82 H62 V90 H38 Z", ink);
                yield return Stroke("M34 40 q-5 -7 0 -13 q5 -6 0 -12 M50 40 q-5 -7 0 -13 q5 -6 0 -12 M66 40 q-5 -7 0 -13 q5 -6 0 -12", ink, 3.5);
                break;
            case "sparkle":
                yield return Fill("M46 10 C50 40 58 48 88 52 C58 56 50 64 46 94 C42 64 34 56 4 52 C34 48 42 40 46 10 Z", ink);
                yield return Fill("M80 6 C81 16 84 19 94 20 C84 21 81 24 80 34 C79 24 76 21 66 20 C76 19 79 16 80 6 Z", ink);
                break;
            case "bag":
                yield return Fill("M20 38 H80 L74 90 H26 Z", ink);
                yield return Stroke("M36 38 V30 A14 14 0 0 1 64 30 V38", ink, 5);
                break;
            case "leaf":
                yield return Fill("M50 92 C16 72 14 30 50 8 C86 30 84 72 50 92 Z", ink);
                yield return Stroke("M50 88 V22 M50 50 L36 38 M50 64 L64 52", paper, 3);
                break;
            case "chevrons":
                yield return Stroke("M36 26 L12 50 L36 74 M64 26 L88 50 L64 74", ink, 8);
                yield return Stroke("M57 20 L43 80", ink, 6);
                break;
            case "cross":
                yield return Fill("M38 12 H62 V38 H88 V62 H62 V88 H38 V62 H12 V38 H38 Z", ink);
                break;
            case "book":
                yield return Fill("M48 26 C36 18 20 18 8 22 V80 C20 76 36 76 48 84 Z", ink);
                yield return Fill("M52 26 C64 18 80 18 92 22 V80 C80 76 64 76 52 84 Z", ink);
                break;
            default:
                yield return new XElement(Svg + "circle", new XAttribute("cx", 50), new XAttribute("cy", 50), new XAttribute("r", 18), new XAttribute("fill", ink));
                var rays = 8 + (int)(seed % 5);
                var d = string.Join(" ", Enumerable.Range(0, rays).Select(i =>
                {
                    var a = 2 * Math.PI * i / rays;
                    return $"M{Num(50 + 27 * Math.Cos(a))} {Num(50 + 27 * Math.Sin(a))} L{Num(50 + 42 * Math.Cos(a))} {Num(50 + 42 * Math.Sin(a))}";
                }));
                yield return Stroke(d, ink, 5);
                break;
        }
    }

    static string Num(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    static string ShapeName(string shape, BriefReading brief) => shape switch
    {
        "circle" => brief.Say("ronde", "round shape"),
        "rounded-square" => brief.Say("carrée aux coins arrondis", "rounded square"),
        "hexagon" => brief.Say("hexagonale", "hexagon"),
        "diamond" => brief.Say("en losange", "diamond"),
        "shield" => brief.Say("en écusson", "shield"),
        _ => brief.Say("en arche", "arch"),
    };

    static string Underline(string style, BriefReading brief) => style switch
    {
        "warm" => brief.Say("ondulé", "wavy"),
        "classic" or "elegant" => brief.Say("fin orné d'un losange", "fine, diamond-set"),
        "vivid" => brief.Say("épais", "bold"),
        _ => brief.Say("court et net", "short, crisp"),
    };

    static string MotifName(string motif, BriefReading brief) => motif switch
    {
        "wheat" => brief.Say("épi de blé", "ear of wheat"),
        "cup" => brief.Say("tasse fumante", "steaming cup"),
        "needle" => brief.Say("aiguille et fil", "needle and thread"),
        "bowl" => brief.Say("bol fumant", "steaming bowl"),
        "sparkle" => brief.Say("étincelle", "sparkle"),
        "bag" => brief.Say("sac de courses", "shopping bag"),
        "leaf" => brief.Say("feuille", "leaf"),
        "chevrons" => brief.Say("chevrons de code", "code brackets"),
        "cross" => brief.Say("croix de soin", "care cross"),
        "book" => brief.Say("livre ouvert", "open book"),
        _ => brief.Say("soleil", "sun"),
    };

    static string Rationale(string style, BriefReading brief) => style switch
    {
        "warm" => brief.Say("Des formes douces et généreuses, qui donnent un ton chaleureux et accueillant.", "Soft, generous shapes for a warm, welcoming tone."),
        "modern" => brief.Say("Des linéales nettes et très lisibles sur mobile, pour une image moderne.", "Clean sans-serifs, very legible on phones, for a modern image."),
        "classic" => brief.Say("Une serif de caractère pour les titres et une linéale sobre pour le texte : sérieux et confiance.", "A characterful serif for headings and a plain sans for text: serious and trustworthy."),
        "elegant" => brief.Say("Des capitales fines et élégantes pour les titres, une linéale légère pour le texte : raffinement.", "Fine, elegant capitals for headings, a light sans for text: refinement."),
        "vivid" => brief.Say("Des linéales rondes et affirmées, faites pour une image énergique.", "Round, assertive sans-serifs for an energetic image."),
        _ => brief.Say("Une seule famille très lisible, pour une image épurée.", "One highly legible family for a clean image."),
    } + " " + brief.Say("Polices libres (Google Fonts, licence OFL).", "Free fonts (Google Fonts, OFL licence).");
}
