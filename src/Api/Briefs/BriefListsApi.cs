using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BusinessBrief.Api.Briefs;

public record BriefListItem(Guid BriefId, long CoachingSessionId, string BusinessName, string Status, int Revision,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static BriefListItem Of(BriefSummary brief) => new(brief.BriefId, brief.CoachingSessionId, brief.BusinessName,
        brief.Status.ToWire(), brief.Revision, brief.CreatedAt, brief.UpdatedAt);
}

/// <param name="NextCursor">Pass it as <c>cursor</c> for the next page; null on the last page.</param>
public record BriefList(IReadOnlyList<BriefListItem> Items, string? NextCursor);

/// <summary>Finding one's briefs again: all of them newest first, or those of one coaching session, a page at a time.</summary>
public static class BriefListsApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapBriefListsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BriefsApi.BasePath)
            .WithTags("Briefs")
            .RequireAuthorization();

        api.MapGet("", ListBriefs).WithName(nameof(ListBriefs))
            .RequireRateLimiting(RateLimitingExtensions.ReadPolicy);
        return api;
    }

    /// <summary>The caller's briefs, Redis's and the archive's, newest first; <c>coaching_session_id</c> keeps one session's.</summary>
    public static async Task<Results<Ok<BriefList>, ValidationProblem>> ListBriefs(
        [FromQuery(Name = "coaching_session_id")] string? coachingSessionId,
        [FromQuery(Name = "limit")] string? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        ClaimsPrincipal user,
        BriefLists lists,
        ProblemMessages messages)
    {
        // Read as text, so that every bad parameter is named in one answer, in the API's words.
        var errors = new Dictionary<string, string[]>();
        long? session = null;
        if (coachingSessionId is not null)
            if (long.TryParse(coachingSessionId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
                session = id;
            else
                errors["coaching_session_id"] = [messages.MustBePositiveQueryInteger("coaching_session_id")];
        var pageSize = DefaultPageSize;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is > 0 and <= MaxPageSize))
            errors["limit"] = [messages.PageSize(MaxPageSize)];
        BriefListPosition? after = null;
        if (cursor is not null && !ListCursor.TryDecode(cursor, out after))
            errors["cursor"] = [messages.UnknownCursor];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: messages.ValidationTitle);

        var page = await lists.Find(user.UserId(), session, after, pageSize);
        return TypedResults.Ok(new BriefList(page.Items.Select(BriefListItem.Of).ToList(),
            page.Next is { } next ? ListCursor.Encode(next) : null));
    }
}

/// <summary>
/// The cursor of a list: where the last item of a page stands (its creation time in microseconds and its id), in base64url.
/// Opaque to clients; a made-up one only moves within the caller's own list.
/// </summary>
public static class ListCursor
{
    const int Length = sizeof(long) + 16;

    public static string Encode(BriefListPosition position)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (position.CreatedAt - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond);
        position.BriefId.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string cursor, out BriefListPosition? position)
    {
        position = null;
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (cursor.Length > 64 || !Base64Url.IsValid(cursor) || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != Length)
            return false;
        var microseconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (microseconds < 0 || microseconds > (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond)
            return false;
        position = new BriefListPosition(DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond),
            new Guid(bytes[sizeof(long)..Length], bigEndian: true));
        return true;
    }
}
