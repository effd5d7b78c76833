using System.Globalization;

namespace BusinessBrief.Api.Briefs.Export;

/// <summary>
/// A brief is read in the language it was written in, whatever language the request asks for: its views (the preview
/// page, the Markdown export) render under the brief's culture, so that their <c>.resx</c> wording and their numbers
/// (« 1 840 », « 2,3 s », « 20 % ») follow <c>brief.Language</c> and match the agents' text around them.
/// </summary>
public static class BriefCulture
{
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Runs <paramref name="render"/> with the current (UI) culture of <paramref name="language"/>, then restores the request's.</summary>
    public static T Render<T>(string language, Func<T> render)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = language == "fr" ? French : English;
        try
        {
            return render();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
