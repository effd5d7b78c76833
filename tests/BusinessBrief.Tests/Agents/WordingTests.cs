using System.Collections;
using System.Globalization;
using System.Resources;
using BusinessBrief.Agents.SubAgents.Offline;

namespace BusinessBrief.Tests.Agents;

public class WordingTests
{
    static readonly ResourceManager Resources = new(typeof(Wording).FullName!, typeof(Wording).Assembly);

    static SortedSet<string> Keys(CultureInfo culture) =>
        new(Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().Select(entry => (string)entry.Key), StringComparer.Ordinal);

    [Fact]
    public void Every_phrase_is_written_in_French_and_in_English()
    {
        // A key missing from Wording.fr.resx would put an English phrase in a French brief without any error.
        var english = Keys(CultureInfo.InvariantCulture);
        var french = Keys(CultureInfo.GetCultureInfo("fr"));

        Assert.NotEmpty(english);
        Assert.Equal(english, french);
    }
}
