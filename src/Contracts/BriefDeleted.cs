namespace BusinessBrief.Contracts;

/// <summary>
/// Published by the API once its owner erased a brief and every Redis key of it. Agents stop its jobs; a
/// subscriber that kept a copy of the brief (from <see cref="BriefReady"/>) should erase it too.
/// </summary>
public record BriefDeleted
{
    public required Guid BriefId { get; init; }
    public required DateTimeOffset DeletedAt { get; init; }
}
