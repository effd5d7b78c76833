using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// Whether an SVG logo is safe to show and embed as it is: the website builder and the preview put it inline in a
/// page, so it is judged by an allow-list of drawing elements and attributes, not by a list of known attacks. Both
/// backends' logos pass here; a model's answer can be prompt-injected, the offline drawings must simply never fail.
/// </summary>
public static partial class LogoSvg
{
    public const int MaxLength = 20_000;

    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    static readonly HashSet<string> Elements =
    [
        "svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "text", "tspan", "defs",
        "linearGradient", "radialGradient", "stop", "title", "desc", "clipPath", "mask", "symbol",
    ];

    static readonly HashSet<string> Attributes =
    [
        "id", "class", "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2",
        "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points", "transform", "dx", "dy", "rotate", "textLength", "lengthAdjust",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
        "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "color", "clip-path", "clip-rule", "mask",
        "font-family", "font-size", "font-weight", "font-style", "letter-spacing", "word-spacing", "text-anchor",
        "dominant-baseline", "alignment-baseline", "text-decoration", "visibility", "display",
        "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "clipPathUnits",
        "maskUnits", "maskContentUnits", "role", "aria-label", "aria-hidden", "focusable", "version", "href",
    ];

    /// <summary>Why the SVG is not a safe standalone logo, in words the model can correct; empty if it is one.</summary>
    public static IReadOnlyList<string> Problems(string svg)
    {
        if (svg.Length > MaxLength)
            return [$"longer than {MaxLength} characters"];
        XDocument document;
        try
        {
            // No DTD, hence no entity expansion (billion laughs) and no external entity; no resolver either.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxLength };
            using var reader = XmlReader.Create(new StringReader(svg), settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return [$"not well-formed XML without a DTD ({ex.Message})"];
        }
        var root = document.Root!;
        var problems = new List<string>();
        if (root.Name != Svg + "svg")
            problems.Add("the root element must be <svg xmlns=\"http://www.w3.org/2000/svg\">");
        if (root.Attribute("viewBox")?.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Length != 4)
            problems.Add("the <svg> element needs a viewBox of four numbers");
        // Embedded inline in HTML, a CDATA section or a processing instruction is read differently than as XML.
        if (document.DescendantNodes().Any(node => node is XProcessingInstruction or XCData))
            problems.Add("processing instructions and CDATA sections are not allowed: escape text as XML");
        foreach (var element in document.Descendants())
            problems.AddRange(ElementProblems(element));
        return problems.Distinct().ToList();
    }

    static IEnumerable<string> ElementProblems(XElement element)
    {
        var name = element.Name.LocalName;
        if (element.Name.Namespace != Svg || !Elements.Contains(name))
            yield return $"<{name}> is not allowed in a logo (allowed: {string.Join(", ", Elements)})";
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
            if (AttributeProblem(attribute) is { } problem)
                yield return $"<{name}> {problem}";
    }

    static string? AttributeProblem(XAttribute attribute)
    {
        var name = attribute.Name;
        var local = name.LocalName;
        var known = name.Namespace == XNamespace.None ? Attributes.Contains(local)
            : name.Namespace == XLink ? local == "href"
            : name.Namespace == XNamespace.Xml && local is "space" or "lang";
        if (!known)
            return $"attribute {local} is not allowed (no event handler, no foreign attribute)";
        if (local == "href" && !LocalReference().IsMatch(attribute.Value))
            return $"attribute {local} may only point inside the document (#id)";
        // aria-label carries the business name as plain text, never fetched nor run.
        return local != "aria-label" && Unsafe(attribute.Value) ? $"attribute {local} must not import anything or refer outside the document" : null;
    }

    /// <summary>
    /// CSS or an attribute value that could fetch or import something: only url(#id) may stay. A backslash is
    /// refused as well, since CSS escapes could spell url( or @import past these checks.
    /// </summary>
    static bool Unsafe(string value) =>
        value.Contains('\\')
        || value.Contains("@import", StringComparison.OrdinalIgnoreCase)
        || value.Contains("expression(", StringComparison.OrdinalIgnoreCase)
        || value.Contains("image-set", StringComparison.OrdinalIgnoreCase)
        || ExternalUrl().IsMatch(value);

    [GeneratedRegex(@"^#[A-Za-z_][\w.-]*$")]
    private static partial Regex LocalReference();

    [GeneratedRegex(@"url\s*\(\s*(?!['""]?\s*#)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}
