using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>What the offline writers need to read and write short business texts.</summary>
public static partial class Text
{
    /// <summary>Lower case, no accents, typographic apostrophes made plain: how keywords are matched.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Replace('’', '\'').Replace("œ", "oe").Replace("Œ", "Oe").Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                folded.Append(char.ToLowerInvariant(c));
        return folded.ToString();
    }

    /// <summary>Whether <paramref name="term"/> appears in <paramref name="text"/> as whole words, ignoring case and accents.</summary>
    public static bool Contains(string text, string term)
    {
        var folded = (texts ??= new FoldCache(16)).Of(text);
        var needle = (terms ??= new FoldCache(4096)).Of(term);
        for (var at = folded.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var startsWord = at == 0 || !char.IsLetterOrDigit(folded[at - 1]);
            var end = at + needle.Length;
            var endsWord = end == folded.Length || !char.IsLetterOrDigit(folded[end]);
            if (startsWord && endsWord)
                return true;
        }
        return false;
    }

    // Answers are matched against hundreds of keywords: each string is folded once. Per thread (the writers are
    // synchronous), keyed by reference, with a fixed number of slots: the catalogue's terms stay folded, and a
    // job's texts only while its loops run, so that the cache never holds more than a few texts. A
    // ConditionalWeakTable did the same with a GC handle for every string each job brought: 94,000 handles in
    // the agents process, scanned by every collection (docs/benchmarks.md).
    [ThreadStatic]
    static FoldCache? texts;

    [ThreadStatic]
    static FoldCache? terms;

    sealed class FoldCache(int slots)
    {
        readonly (string Text, string Folded)[] entries = new (string, string)[slots];

        public string Of(string text)
        {
            ref var entry = ref entries[RuntimeHelpers.GetHashCode(text) & (entries.Length - 1)];
            if (!ReferenceEquals(entry.Text, text))
                entry = (text, Fold(text));
            return entry.Folded;
        }
    }

    /// <summary>
    /// The clauses of an answer: split on sentence ends, semicolons and commas outside parentheses. With
    /// <paramref name="splitOnAnd"/>, a list of promises without commas is also split on "et"/"and"
    /// ("Farine locale et livraison à vélo" → two clauses), unless "et" joins two complements ("du Plateau et de Médina").
    /// </summary>
    public static IReadOnlyList<string> Clauses(string text, bool splitOnAnd = false)
    {
        var clauses = SplitOutsideParentheses(text, c => c is ',' or ';' or '.' or '!' or '?' or '\n');
        if (clauses.Count > 1 || !splitOnAnd)
            return clauses;
        var parts = AndSplit().Split(WithoutFinalStop(text))
            .Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        return parts.Count > 1 && parts.All(p => WordCount(p) >= 2) ? parts : clauses;
    }

    /// <summary>The customer groups of an audience answer: split on ";", ", et", "ainsi que", "as well as", "mais aussi".</summary>
    public static IReadOnlyList<string> Groups(string text) =>
        SplitOutsideParentheses(GroupSeparator().Replace(text, ";"), c => c is ';' or '\n' or '.');

    static List<string> SplitOutsideParentheses(string text, Func<char, bool> separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
            // A dot inside a word or number ("2.5", "S.A.") does not end a sentence.
            var innerDot = c == '.' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            if (depth == 0 && separator(c) && !innerDot)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        parts.Add(current.ToString());
        return parts.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
    }

    /// <summary>The clause of <paramref name="text"/> in which <paramref name="term"/> appears.</summary>
    public static string ClauseWith(string text, string term) =>
        Clauses(text).FirstOrDefault(c => Contains(c, term)) ?? WithoutFinalStop(text);

    /// <summary>French "de" before a name, elided before a vowel: "de Boulangerie Teranga", "d'Atelier Adjoua".</summary>
    public static string OfName(string name) =>
        "aeiouyàâéèêîôûAEIOUYÀÂÉÈÊÎÔÛ".Contains(name.FirstOrDefault()) ? $"d'{name}" : $"de {name}";

    public static int WordCount(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>First letter upper case, the rest untouched.</summary>
    public static string Capitalised(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    /// <summary>First letter lower case, unless the first word is an acronym ("HLM", "PME").</summary>
    public static string Uncapitalised(string text) =>
        text.Length < 2 || char.IsUpper(text[1]) ? text : char.ToLower(text[0], CultureInfo.InvariantCulture) + text[1..];

    /// <summary>The text as one sentence: capitalised, ending with a full stop.</summary>
    public static string Sentence(string text)
    {
        var trimmed = text.Trim().TrimEnd(',', ';', ':', ' ');
        return Capitalised(trimmed.EndsWith('.') || trimmed.EndsWith('!') || trimmed.EndsWith('?') || trimmed.EndsWith('…')
            ? trimmed : trimmed + ".");
    }

    public static string WithoutFinalStop(string text) => text.Trim().TrimEnd('.', ' ', ',', ';', '!');

    /// <summary>At most <paramref name="max"/> characters, cut at a word boundary with an ellipsis.</summary>
    public static string Shorten(string text, int max)
    {
        text = text.Trim();
        if (text.Length <= max)
            return text;
        var cut = text[..(max - 1)];
        var space = cut.LastIndexOf(' ');
        if (space > max / 2)
            cut = cut[..space];
        return cut.TrimEnd(',', ';', ':', ' ', '-', '–', '(') + "…";
    }

    /// <summary>ASCII lower-case words joined by hyphens, for URLs.</summary>
    public static string Slug(string text, int max = 60)
    {
        var slug = NonSlug().Replace(Fold(text), "-").Trim('-');
        if (slug.Length > max)
            slug = slug[..max].TrimEnd('-');
        return slug.Length == 0 ? "accueil" : slug;
    }

    /// <summary>
    /// A hash that is the same in every process and on every machine (string.GetHashCode is randomised per
    /// process), so that the same inputs always give the same logo, palette and wording.
    /// </summary>
    public static ulong StableHash(params string?[] parts)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', parts.Select(p => p ?? ""))));
        return BitConverter.ToUInt64(bytes, 0);
    }

    [GeneratedRegex(@"\s+(?:et|and)\s+(?!(?:de|du|des|d'|d’|à|au|aux|la|le|les|of|the|in)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"\s*,?\s*\b(?:ainsi que|mais aussi|as well as|but also)\b\s*|\s*,\s*(?:et|and)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex GroupSeparator();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
