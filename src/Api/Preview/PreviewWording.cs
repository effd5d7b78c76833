using Microsoft.Extensions.Localization;

namespace BusinessBrief.Api.Preview;

/// <summary>
/// The preview page's own words, around what <see cref="Briefs.Export.BriefWording"/> says about the brief:
/// <c>PreviewWording.resx</c> and its <c>.fr</c> twin, in the culture the page renders under. Plain text: the page
/// HTML-encodes it.
/// </summary>
public class PreviewWording(IStringLocalizer<PreviewWording> texts)
{
    public string PageTitle(string businessName) => texts[nameof(PageTitle), businessName];
    public string NotFoundTitle => texts[nameof(NotFoundTitle)];
    public string NotFound => texts[nameof(NotFound)];
    public string SignInRequiredTitle => texts[nameof(SignInRequiredTitle)];
    public string SignInRequired => texts[nameof(SignInRequired)];
    public string YourToken => texts[nameof(YourToken)];

    /// <summary>The session cookie explained, <c>{0}</c> standing for the request that ends it.</summary>
    public string SessionCookie => texts[nameof(SessionCookie)];

    public string Eyebrow(int revision) => texts[nameof(Eyebrow), revision];
    public string Completeness => texts[nameof(Completeness)];
    public string Confidence => texts[nameof(Confidence)];
    public string SectionTitle(string section) => texts[$"Title.{section}"];
    public string InProgress => texts[nameof(InProgress)];
    public string Concept(int number) => texts[nameof(Concept), number];
    public string LogoAlt(string name) => texts[nameof(LogoAlt), name];
    public string Palette => texts[nameof(Palette)];
    public string SearchResult => texts[nameof(SearchResult)];

    public string Lengths(int title, int maxTitle, int description, int maxDescription) =>
        texts[nameof(Lengths), title, maxTitle, description, maxDescription];

    public string Keywords => texts[nameof(Keywords)];
    public string Template => texts[nameof(Template)];
    public string Fit => texts[nameof(Fit)];
    public string FullAnalysis => texts[nameof(FullAnalysis)];
    public string Profile => texts[nameof(Profile)];
    public string YesOrNo(bool value) => texts[value ? "Yes" : "No"];
}
