namespace BusinessBrief.Persistence;

/// <summary>
/// The statuses a brief goes through, as users see them. Each member is named after the state of the
/// <c>BriefStateMachine</c> it stands for, which is how <see cref="BriefState.Status"/> reads the saga's state.
/// </summary>
public enum BriefStatus
{
    Generating,
    Regenerating,
    Ready,
    Incomplete,
    /// <summary>A website was created from it.</summary>
    Used,
    /// <summary>Its owner stopped it; it can be regenerated.</summary>
    Cancelled,
}

public static class BriefStatusExtensions
{
    /// <summary>The status as the HTTP API and the events write it: <c>generating</c>, <c>ready</c>, …</summary>
    public static string ToWire(this BriefStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>True while sub-agent jobs of the current revision are still running.</summary>
    public static bool IsRunning(this BriefStatus status) => status is BriefStatus.Generating or BriefStatus.Regenerating;
}
