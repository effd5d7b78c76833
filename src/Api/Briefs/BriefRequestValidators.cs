using BusinessBrief.Api.Problems;
using BusinessBrief.Contracts;
using FluentValidation;

namespace BusinessBrief.Api.Briefs;

public class GenerateBriefRequestValidator : AbstractValidator<GenerateBriefRequest>
{
    public const int ShortText = 120;
    public const int LongText = 2000;
    public static readonly string[] Languages = ["fr", "en"];

    public GenerateBriefRequestValidator(ProblemMessages messages)
    {
        RuleFor(x => x.CoachingSessionId).NotNull().GreaterThan(0)
            .WithMessage(_ => messages.MustBePositiveInteger("{PropertyName}"));
        RuleFor(x => x.BusinessName).RequiredText(ShortText, messages, multiline: false);
        RuleFor(x => x.Vision).RequiredText(LongText, messages, multiline: true);
        RuleFor(x => x.Mission).RequiredText(LongText, messages, multiline: true);
        RuleFor(x => x.TargetAudience).RequiredText(LongText, messages, multiline: true);
        RuleFor(x => x.Differentiation).RequiredText(LongText, messages, multiline: true);
        RuleFor(x => x.ValueProposition).RequiredText(LongText, messages, multiline: true);
        RuleFor(x => x.Sector).RequiredText(ShortText, messages, multiline: false);
        RuleFor(x => x.Location).NotNull();
        RuleFor(x => x.Location!.City).RequiredText(ShortText, messages, multiline: false).When(x => x.Location is not null);
        RuleFor(x => x.Location!.Country).RequiredText(ShortText, messages, multiline: false).When(x => x.Location is not null);
        RuleFor(x => x.Language).Must(l => l is null || Languages.Contains(l))
            .WithMessage(_ => messages.MustBeOneOf(Languages));
    }
}

public class RegenerateSectionsRequestValidator : AbstractValidator<RegenerateSectionsRequest>
{
    public const int MaxFeedback = 2000;

    public RegenerateSectionsRequestValidator(ProblemMessages messages)
    {
        RuleFor(x => x.Sections).NotEmpty()
            .WithMessage(_ => messages.MustNameSections(SectionNames.All))
            .Must(s => s is null || s.Count <= SectionNames.All.Count)
            .WithMessage(_ => messages.AtMostItems(SectionNames.All.Count));
        // The message lists the valid names and does not echo the rejected value back.
        RuleForEach(x => x.Sections).Must(s => SectionNames.All.Contains(s))
            .WithMessage(_ => messages.MustBeOneOf(SectionNames.All));
        RuleFor(x => x.Feedback).MaximumLength(MaxFeedback).NoControlCharacters(messages, multiline: true);
    }
}

static class TextRules
{
    /// <summary>
    /// Present, not blank, at most <paramref name="maxLength"/> characters, and no control characters: they have no
    /// place in what an entrepreneur says, and would end up in every rendering of the brief. Multi-line fields may
    /// hold line breaks and tabs. Any other Unicode (accents, emoji, non-Latin scripts) is welcome.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> RequiredText<T>(this IRuleBuilder<T, string?> rule, int maxLength,
        ProblemMessages messages, bool multiline) =>
        rule.NotEmpty().MaximumLength(maxLength).NoControlCharacters(messages, multiline);

    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule,
        ProblemMessages messages, bool multiline) =>
        rule.Must(text => text is null || !text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
            .WithMessage(_ => messages.NoControlCharacters);
}
