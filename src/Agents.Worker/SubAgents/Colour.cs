using System.Globalization;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>An sRGB colour, with the HSL conversions the palette needs and the WCAG 2.x contrast ratio.</summary>
public readonly record struct Colour(byte R, byte G, byte B)
{
    /// <summary>WCAG AA minimum contrast for normal-size text.</summary>
    public const double AaContrast = 4.5;

    public string Hex => $"#{R:X2}{G:X2}{B:X2}";

    public static Colour? TryParse(string? hex) =>
        hex is { Length: 7 } && hex[0] == '#' && int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb)
            ? new Colour((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb)
            : null;

    /// <summary>From hue (degrees), saturation and lightness (0..1).</summary>
    public static Colour FromHsl(double hue, double saturation, double lightness)
    {
        hue = ((hue % 360) + 360) % 360;
        saturation = Math.Clamp(saturation, 0, 1);
        lightness = Math.Clamp(lightness, 0, 1);
        var chroma = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        var x = chroma * (1 - Math.Abs(hue / 60 % 2 - 1));
        var m = lightness - chroma / 2;
        var (r, g, b) = (int)(hue / 60) switch
        {
            0 => (chroma, x, 0d),
            1 => (x, chroma, 0d),
            2 => (0d, chroma, x),
            3 => (0d, x, chroma),
            4 => (x, 0d, chroma),
            _ => (chroma, 0d, x),
        };
        static byte Channel(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return new Colour(Channel(r + m), Channel(g + m), Channel(b + m));
    }

    public (double Hue, double Saturation, double Lightness) ToHsl()
    {
        double r = R / 255d, g = G / 255d, b = B / 255d;
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        var lightness = (max + min) / 2;
        var delta = max - min;
        if (delta == 0)
            return (0, 0, lightness);
        var saturation = delta / (1 - Math.Abs(2 * lightness - 1));
        var hue = max == r ? 60 * ((g - b) / delta % 6)
            : max == g ? 60 * ((b - r) / delta + 2)
            : 60 * ((r - g) / delta + 4);
        return ((hue + 360) % 360, saturation, lightness);
    }

    /// <summary>WCAG relative luminance.</summary>
    public double Luminance
    {
        get
        {
            static double Linear(byte channel)
            {
                var c = channel / 255d;
                return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            }
            return 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);
        }
    }

    /// <summary>WCAG contrast ratio between two colours, 1 to 21.</summary>
    public static double Contrast(Colour a, Colour b)
    {
        var (lighter, darker) = a.Luminance >= b.Luminance ? (a.Luminance, b.Luminance) : (b.Luminance, a.Luminance);
        return (lighter + 0.05) / (darker + 0.05);
    }

    /// <summary>
    /// This colour made darker (or lighter) step by step, keeping its hue, until it reaches
    /// <paramref name="minimum"/> contrast against <paramref name="background"/>.
    /// </summary>
    public Colour WithContrastAgainst(Colour background, double minimum)
    {
        var (hue, saturation, lightness) = ToHsl();
        var darken = background.Luminance > 0.18;
        var colour = this;
        while (Contrast(colour, background) < minimum && lightness is > 0 and < 1)
        {
            lightness = Math.Clamp(lightness + (darken ? -0.01 : 0.01), 0, 1);
            colour = FromHsl(hue, saturation, lightness);
        }
        return colour;
    }
}
