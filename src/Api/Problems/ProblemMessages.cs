using Microsoft.Extensions.Localization;

namespace BusinessBrief.Api.Problems;

/// <summary>
/// Every error text the API writes itself, in the request's culture (<c>ProblemMessages.resx</c> and its
/// <c>.fr</c> twin). Texts passed on to FluentValidation keep its <c>{PropertyName}</c> placeholder.
/// </summary>
public class ProblemMessages(IStringLocalizer<ProblemMessages> texts)
{
    public string ValidationTitle => texts[nameof(ValidationTitle)];
    public string MustBeOneOf(IEnumerable<string> allowed) => texts[nameof(MustBeOneOf), string.Join(", ", allowed)];
    public string MustNameSections(IEnumerable<string> sections) => texts[nameof(MustNameSections), string.Join(", ", sections)];
    public string AtMostItems(int max) => texts[nameof(AtMostItems), max];
    public string NoControlCharacters => texts[nameof(NoControlCharacters)];
    public string IdempotencyKeyFormat(int maxLength) => texts[nameof(IdempotencyKeyFormat), maxLength];

    public string UnknownField(string field) => texts[nameof(UnknownField), field];
    public string BodyMustBeObject => texts[nameof(BodyMustBeObject)];
    public string MustBeString(string field) => texts[nameof(MustBeString), field];
    public string MustBeObject(string field) => texts[nameof(MustBeObject), field];
    public string MustBeArray(string field) => texts[nameof(MustBeArray), field];
    public string MustBePositiveInteger(string field) => texts[nameof(MustBePositiveInteger), field];
    public string WrongType(string field) => texts[nameof(WrongType), field];
    public string MalformedJson(long line, long bytePosition) => texts[nameof(MalformedJson), line, bytePosition];
    public string BodyMissing => texts[nameof(BodyMissing)];
    public string BodyTooLargeTitle => texts[nameof(BodyTooLargeTitle)];
    public string BodyTooLarge(int kilobytes) => texts[nameof(BodyTooLarge), kilobytes];
    public string UnsupportedMediaTypeTitle => texts[nameof(UnsupportedMediaTypeTitle)];
    public string UnsupportedMediaType => texts[nameof(UnsupportedMediaType)];

    public string NotAFormat(string format, IEnumerable<string> formats) => texts[nameof(NotAFormat), format, string.Join(", ", formats)];

    public string BearerTokenRequired => texts[nameof(BearerTokenRequired)];
    public string TooManyRequestsTitle => texts[nameof(TooManyRequestsTitle)];
    public string TooManyRequests(int retryAfterSeconds) => texts[nameof(TooManyRequests), retryAfterSeconds];
    public string TooManyLongPolls(int max, int retryAfterSeconds) => texts[nameof(TooManyLongPolls), max, retryAfterSeconds];
    public string TooManyEventStreams(int max, int retryAfterSeconds) => texts[nameof(TooManyEventStreams), max, retryAfterSeconds];
    public string MustBePositiveQueryInteger(string field) => texts[nameof(MustBePositiveQueryInteger), field];
    public string PageSize(int max) => texts[nameof(PageSize), max];
    public string UnknownCursor => texts[nameof(UnknownCursor)];
    public string PreviewBriefIds(int max) => texts[nameof(PreviewBriefIds), max];
    public string TooManyBriefsInFlightTitle => texts[nameof(TooManyBriefsInFlightTitle)];
    public string TooManyBriefsInFlight(int max) => texts[nameof(TooManyBriefsInFlight), max];
    public string TokenBudgetSpentTitle => texts[nameof(TokenBudgetSpentTitle)];
    public string UserTokenBudgetSpent(long limit) => texts[nameof(UserTokenBudgetSpent), limit];
    public string GlobalTokenBudgetSpent => texts[nameof(GlobalTokenBudgetSpent)];
    public string UnavailableTitle => texts[nameof(UnavailableTitle)];
    public string Unavailable => texts[nameof(Unavailable)];
    public string NotAccepted => texts[nameof(NotAccepted)];
    public string StorageFullTitle => texts[nameof(StorageFullTitle)];
    public string StorageFull => texts[nameof(StorageFull)];
    public string IdempotencyKeyReusedTitle => texts[nameof(IdempotencyKeyReusedTitle)];
    public string IdempotencyKeyReused => texts[nameof(IdempotencyKeyReused)];
    public string NothingToCancelTitle => texts[nameof(NothingToCancelTitle)];
    public string NothingToCancel(string status) => texts[nameof(NothingToCancel), status];
    public string CannotRegenerateTitle => texts[nameof(CannotRegenerateTitle)];
    public string CannotRegenerateWhileRunning(string status) => texts[nameof(CannotRegenerateWhileRunning), status];
    public string CannotRegenerateUsed => texts[nameof(CannotRegenerateUsed)];
    public string CannotArchiveTitle => texts[nameof(CannotArchiveTitle)];
    public string CannotArchiveWhileRunning(string status) => texts[nameof(CannotArchiveWhileRunning), status];
    public string UnexpectedErrorTitle => texts[nameof(UnexpectedErrorTitle)];
    public string UnexpectedError => texts[nameof(UnexpectedError)];
}
