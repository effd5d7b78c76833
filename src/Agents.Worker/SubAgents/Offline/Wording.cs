using System.Globalization;
using Microsoft.Extensions.Localization;

namespace BusinessBrief.Agents.SubAgents.Offline;

/// <summary>
/// Every sentence, phrase and label the offline writers write (<c>Wording.resx</c> in English, <c>Wording.fr.resx</c>),
/// with <c>{0}</c>-style placeholders. The one place where a brief's language picks its resources: the writers run
/// on consumer threads whose culture is not the brief's, so each lookup is made in the brief's culture.
/// </summary>
public sealed class Wording(IStringLocalizer<Wording> texts)
{
    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/>, its placeholders filled.</summary>
    public string Phrase(CultureInfo culture, string key, object?[] args)
    {
        var caller = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var text = texts[key];
            if (text.ResourceNotFound)
                throw new KeyNotFoundException($"Wording.resx has no '{key}'");
            return args.Length == 0 ? text.Value : string.Format(culture, text.Value, args);
        }
        finally
        {
            CultureInfo.CurrentUICulture = caller;
        }
    }
}
