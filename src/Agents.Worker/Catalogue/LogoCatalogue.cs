using System.Xml.Linq;

namespace BusinessBrief.Agents.Catalogue;

public record FontPair(string Heading, string HeadingFallback, string Body);

/// <summary>How a brand style is drawn: its font pairings and the kind of stroke under its wordmark.</summary>
public record LogoStyle(string Underline, IReadOnlyList<FontPair> Fonts);

/// <summary>Rays around a motif's centre: <c>Least</c> plus up to <c>More - 1</c>, from radius <c>Inner</c> to <c>Outer</c>.</summary>
public record MotifRays(int Least, int More, double Inner, double Outer, double Width);

/// <summary>A colour's name (a Wording.resx key) for hues below <c>UpTo</c> degrees and above the previous band's.</summary>
public record HueName(double UpTo, string Name);

public record MotifDrawing(IReadOnlyList<string> Elements, MotifRays? Rays);

/// <summary>A sector pictogram in a 100×100 box, its SVG elements parsed once.</summary>
public record Motif(string Id, IReadOnlyList<XElement> Elements, MotifRays? Rays);

/// <summary>The styles and sector pictograms the offline logo concepts are drawn from (Catalogue/logos.json): their palettes' colour names too.</summary>
public class LogoCatalogue
{
    public const string Fallback = "sun";

    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    record File(
        IReadOnlyDictionary<string, LogoStyle> Styles,
        IReadOnlyList<HueName> ColourNames,
        IReadOnlyDictionary<string, MotifDrawing> Motifs);

    readonly File file = CatalogueFile.Load<File>("logos.json");
    readonly Dictionary<string, Motif> motifs;

    public LogoCatalogue() =>
        motifs = file.Motifs.ToDictionary(m => m.Key, m => new Motif(m.Key,
            XElement.Parse($"<g xmlns=\"{Svg.NamespaceName}\">{string.Concat(m.Value.Elements)}</g>").Elements().ToList(),
            m.Value.Rays));

    public LogoStyle Style(string style) => file.Styles[style];

    /// <summary>The name of a hue, as a Wording.resx key.</summary>
    public string HueName(double hue) => file.ColourNames.First(band => hue < band.UpTo).Name;

    /// <summary>The sector's pictogram; the sun for a motif the catalogue does not draw.</summary>
    public Motif MotifOf(string id) => motifs.GetValueOrDefault(id) ?? motifs[Fallback];
}
