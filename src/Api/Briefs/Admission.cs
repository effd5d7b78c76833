using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Briefs;

/// <summary>What became of a request to start, regenerate, cancel or erase a brief.</summary>
public abstract record Admission
{
    /// <summary>The command left and the broker confirmed it; polls see <paramref name="Status"/> from now on.</summary>
    public sealed record Accepted(Guid BriefId, BriefStatus Status, int Revision) : Admission;

    /// <summary>No such brief for this user (never "not yours": that would tell it exists).</summary>
    public sealed record Missing : Admission;

    /// <summary>
    /// Refused for a reason the client can act on (conflict, too many briefs, storage full, token budget spent); nothing was
    /// kept. <paramref name="RetryAfter"/> says when trying again can succeed; <paramref name="Budget"/> names a spent budget.
    /// </summary>
    public sealed record Refused(int StatusCode, string Title, string Detail, TimeSpan? RetryAfter = null, string? Budget = null) : Admission;
}
