namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>A direction the entrepreneur can ask for in free-text feedback, which the offline writers can follow.</summary>
public enum FeedbackDirection { Warmer, Cooler, Modern, Classic, Vivid, Sober, Concise }

/// <summary>
/// The directions recognised in the entrepreneur's feedback ("plus moderne, couleurs chaudes" → Modern, Warmer).
/// A keyword right after a negation ("moins chaud", "pas trop moderne", "less bold") means the opposite.
/// </summary>
public record FeedbackReading(string? Said, IReadOnlySet<FeedbackDirection> Directions)
{
    static readonly (FeedbackDirection Direction, FeedbackDirection Opposite, string[] Keywords)[] Vocabulary =
    [
        (FeedbackDirection.Warmer, FeedbackDirection.Cooler,
            ["chaud", "chaude", "chauds", "chaudes", "chaleureux", "chaleureuse", "chaleur", "orange", "rouge", "ocre", "terre", "soleil", "ensoleille", "warm", "warmer", "sunny", "earthy"]),
        (FeedbackDirection.Cooler, FeedbackDirection.Warmer,
            ["froid", "froide", "froids", "froides", "bleu", "bleus", "bleue", "apaisant", "apaisante", "calme", "cool", "cooler", "cold", "blue", "calm", "fresh colours", "couleurs fraiches"]),
        (FeedbackDirection.Modern, FeedbackDirection.Classic,
            ["moderne", "modernes", "modernite", "contemporain", "contemporaine", "tendance", "jeune", "epure", "epuree", "actuel", "modern", "contemporary", "trendy", "fresh", "sleek"]),
        (FeedbackDirection.Classic, FeedbackDirection.Modern,
            ["classique", "classiques", "traditionnel", "traditionnelle", "intemporel", "authentique", "elegant", "elegante", "chic", "classic", "traditional", "timeless", "authentic", "elegant"]),
        (FeedbackDirection.Vivid, FeedbackDirection.Sober,
            ["vif", "vive", "vives", "vifs", "colore", "coloree", "colores", "flashy", "audacieux", "audacieuse", "pep", "dynamique", "eclatant", "vivid", "bold", "bright", "colourful", "colorful", "vibrant"]),
        (FeedbackDirection.Sober, FeedbackDirection.Vivid,
            ["sobre", "sobres", "discret", "discrete", "neutre", "neutres", "minimaliste", "simple", "pastel", "sober", "subtle", "muted", "minimal", "understated"]),
        (FeedbackDirection.Concise, FeedbackDirection.Concise,
            ["court", "courts", "courte", "courtes", "concis", "concise", "bref", "breve", "moins de texte", "shorter", "short", "brief", "less text"]),
    ];

    static readonly string[] Negations = ["moins", "pas", "trop", "less", "not", "no", "without", "sans"];

    public static FeedbackReading Of(string? feedback)
    {
        if (string.IsNullOrWhiteSpace(feedback))
            return new FeedbackReading(null, new HashSet<FeedbackDirection>());

        var words = Text.Fold(feedback).Split([' ', ',', '.', ';', ':', '!', '?', '\n', '(', ')', '"', '«', '»'], StringSplitOptions.RemoveEmptyEntries);
        var directions = new HashSet<FeedbackDirection>();
        foreach (var (direction, opposite, keywords) in Vocabulary)
        {
            foreach (var keyword in keywords)
            {
                var at = IndexOfPhrase(words, Text.Fold(keyword).Split(' '));
                if (at < 0)
                    continue;
                var negated = words.Skip(Math.Max(0, at - 2)).Take(Math.Min(2, at)).Any(Negations.Contains);
                // "moins de texte" is itself a request for concision, not a negated one.
                directions.Add(negated && direction != FeedbackDirection.Concise ? opposite : direction);
                break;
            }
        }
        // Contradictions cancel out rather than picking one at random.
        foreach (var (a, b) in new[] { (FeedbackDirection.Warmer, FeedbackDirection.Cooler), (FeedbackDirection.Modern, FeedbackDirection.Classic), (FeedbackDirection.Vivid, FeedbackDirection.Sober) })
            if (directions.Contains(a) && directions.Contains(b))
            {
                directions.Remove(a);
                directions.Remove(b);
            }
        return new FeedbackReading(feedback.Trim(), directions);
    }

    static int IndexOfPhrase(string[] words, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= words.Length; i++)
            if (phrase.Select((w, j) => words[i + j] == w).All(x => x))
                return i;
        return -1;
    }

    public bool Given => Said is not null;

    public bool Asks(FeedbackDirection direction) => Directions.Contains(direction);
}
