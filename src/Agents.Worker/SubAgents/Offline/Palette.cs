using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;

namespace BusinessBrief.Agents.SubAgents.Offline;

public record PaletteColour(string Role, string Name, Colour Value);

/// <summary>
/// A brand palette: a primary colour whose hue comes from the sector (or the feedback) and the business's
/// identity, and colours derived from it. Every declared text/background pair is darkened or lightened
/// until it reaches WCAG AA (4.5:1), with a small margin so that rounding to hex never drops below.
/// </summary>
public record Palette(string Mood, IReadOnlyList<PaletteColour> Colours, IReadOnlyList<(string Foreground, string Background, string Usage)> Pairs)
{
    const double Target = Colour.AaContrast + 0.1;

    public Colour this[string role] => Colours.Single(c => c.Role == role).Value;

    public static Palette For(BriefReading brief, ulong seed, List<FeedbackDirection> followed, LogoCatalogue logos)
    {
        var mood = brief.PaletteMood;
        var (hue, saturation) = HueAndSaturation(brief, seed, followed);
        var background = Colour.FromHsl(hue, mood == "warm" ? 0.5 : 0.3, 0.965);
        var text = Colour.FromHsl(hue, 0.3, 0.13).WithContrastAgainst(background, Target);
        var onPrimary = Colour.FromHsl(hue, 0.4, 0.985);
        var primary = Colour.FromHsl(hue, saturation, 0.36).WithContrastAgainst(onPrimary, Target).WithContrastAgainst(background, Target);
        var secondary = Colour.FromHsl(hue + (mood == "warm" ? -28 : 32), saturation * 0.8, 0.3).WithContrastAgainst(background, Target);
        // Warm and cool palettes keep an accent of their own family (golds for warm, blues and greens for
        // cool); a neutral one takes a split-complementary hue.
        var accentHue = mood switch
        {
            "warm" => hue is >= 0 and < 70 ? Math.Min(hue + 18 + seed % 17, 58) : hue + 18 + seed % 17,
            "cool" => hue + 25 + seed % 20,
            _ => hue + 150,
        };
        var accent = Colour.FromHsl(accentHue, Math.Min(0.9, saturation + 0.2), 0.6);
        var onAccent = Colour.Contrast(text, accent) >= Colour.Contrast(onPrimary, accent) ? text : onPrimary;
        accent = accent.WithContrastAgainst(onAccent, Target);

        PaletteColour Named(string role, Colour value) => new(role, NameOf(value, role, brief, logos), value);
        return new Palette(mood,
        [
            Named("primary", primary),
            Named("secondary", secondary),
            Named("accent", accent),
            Named("background", background),
            Named("text", text),
            Named("on_primary", onPrimary),
            Named("on_accent", onAccent),
        ],
        [
            ("text", "background", brief.Phrase("ContrastUsage_text")),
            ("primary", "background", brief.Phrase("ContrastUsage_primary")),
            ("secondary", "background", brief.Phrase("ContrastUsage_secondary")),
            ("on_primary", "primary", brief.Phrase("ContrastUsage_on_primary")),
            ("on_accent", "accent", brief.Phrase("ContrastUsage_on_accent")),
        ]);
    }

    /// <summary>The primary colour's hue (the sector's, or the family the feedback asks for) and saturation.</summary>
    static (double Hue, double Saturation) HueAndSaturation(BriefReading brief, ulong seed, List<FeedbackDirection> followed)
    {
        double hue;
        if (brief.Feedback.Asks(FeedbackDirection.Warmer))
        {
            hue = 8 + seed % 40;            // reds, terracottas, ochres
            followed.Add(FeedbackDirection.Warmer);
        }
        else if (brief.Feedback.Asks(FeedbackDirection.Cooler))
        {
            hue = 180 + seed % 55;          // teals and blues
            followed.Add(FeedbackDirection.Cooler);
        }
        else
            hue = brief.Sector.Hue + (int)(seed % 37) - 18;

        var saturation = 0.58;
        if (brief.Feedback.Asks(FeedbackDirection.Vivid))
        {
            saturation = 0.8;
            followed.Add(FeedbackDirection.Vivid);
        }
        else if (brief.Feedback.Asks(FeedbackDirection.Sober))
        {
            saturation = 0.3;
            followed.Add(FeedbackDirection.Sober);
        }

        return (hue, saturation);
    }

    /// <summary>The name a designer would say aloud for a colour, from its hue and lightness.</summary>
    static string NameOf(Colour colour, string role, BriefReading brief, LogoCatalogue logos)
    {
        var (hue, _, lightness) = colour.ToHsl();
        var warm = hue is < 70 or >= 320;
        return brief.Phrase(role switch
        {
            "background" or "on_primary" or "on_accent" when lightness > 0.9 => warm ? "Colour_Cream" : "Colour_MistWhite",
            "text" or "on_accent" when lightness < 0.25 => warm ? "Colour_Ebony" : "Colour_Ink",
            _ => logos.HueName(hue),
        });
    }

    public JsonObject ToJson() => new()
    {
        ["mood"] = Mood,
        ["colors"] = new JsonArray(Colours.Select(c => (JsonNode)new JsonObject { ["role"] = c.Role, ["name"] = c.Name, ["hex"] = c.Value.Hex }).ToArray()),
        ["contrast_pairs"] = new JsonArray(Pairs.Select(p => (JsonNode)new JsonObject
        {
            ["foreground"] = p.Foreground,
            ["background"] = p.Background,
            ["ratio"] = Math.Round(Colour.Contrast(this[p.Foreground], this[p.Background]), 2),
            ["usage"] = p.Usage,
        }).ToArray()),
    };
}
