using BusinessBrief.Contracts;
using FluentValidation;

namespace BusinessBrief.Api.Briefs;

public class GenerateBriefRequestValidator : AbstractValidator<GenerateBriefRequest>
{
    public const int ShortText = 120;
    public const int LongText = 2000;
    public static readonly string[] Languages = ["fr", "en"];

    public GenerateBriefRequestValidator()
    {
        RuleFor(x => x.CoachingSessionId).NotEmpty().MaximumLength(100);
        RuleFor(x => x.BusinessName).NotEmpty().MaximumLength(ShortText);
        RuleFor(x => x.Vision).NotEmpty().MaximumLength(LongText);
        RuleFor(x => x.Mission).NotEmpty().MaximumLength(LongText);
        RuleFor(x => x.TargetAudience).NotEmpty().MaximumLength(LongText);
        RuleFor(x => x.Differentiation).NotEmpty().MaximumLength(LongText);
        RuleFor(x => x.ValueProposition).NotEmpty().MaximumLength(LongText);
        RuleFor(x => x.Sector).NotEmpty().MaximumLength(ShortText);
        RuleFor(x => x.Location).NotNull().ChildRules(location =>
        {
            location.RuleFor(x => x!.City).NotEmpty().MaximumLength(ShortText);
            location.RuleFor(x => x!.Country).NotEmpty().MaximumLength(ShortText);
        });
        RuleFor(x => x.Language).Must(l => l is null || Languages.Contains(l))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", Languages)}.");
    }
}

public class RegenerateSectionsRequestValidator : AbstractValidator<RegenerateSectionsRequest>
{
    public const int MaxFeedback = 2000;

    public RegenerateSectionsRequestValidator()
    {
        RuleFor(x => x.Sections).NotEmpty()
            .WithMessage($"'{{PropertyName}}' must name at least one of: {string.Join(", ", SectionNames.All)}.");
        RuleForEach(x => x.Sections).Must(s => SectionNames.All.Contains(s))
            .WithMessage((_, s) => $"'{s}' is not a section; valid sections: {string.Join(", ", SectionNames.All)}.");
        RuleFor(x => x.Feedback).MaximumLength(MaxFeedback);
    }
}
