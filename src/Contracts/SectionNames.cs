namespace BusinessBrief.Contracts;

/// <summary>The five sections of a brief, as they are named on the wire.</summary>
public static class SectionNames
{
    public const string MarketResearch = "market_research";
    public const string ContentGeneration = "content_generation";
    public const string LogoCreation = "logo_creation";
    public const string SeoOptimization = "seo_optimization";
    public const string TemplateSelection = "template_selection";

    public static readonly IReadOnlyList<string> All =
        [MarketResearch, ContentGeneration, LogoCreation, SeoOptimization, TemplateSelection];
}
