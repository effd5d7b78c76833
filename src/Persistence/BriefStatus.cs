namespace BusinessBrief.Persistence;

/// <summary>The brief statuses users see, derived from the saga's state names.</summary>
public static class BriefStatus
{
    /// <summary>Name of the saga state a brief enters once a website was created from it.</summary>
    public const string UsedState = "Used";

    public const string Generating = "generating";
    public const string Regenerating = "regenerating";
    public const string Ready = "ready";
    public const string Incomplete = "incomplete";
    public const string Used = "used";
    /// <summary>Its owner stopped it; it can be regenerated.</summary>
    public const string Cancelled = "cancelled";

    public static string Of(BriefState brief) => brief.CurrentState.ToLowerInvariant();

    /// <summary>True while sub-agent jobs of the current revision are still running.</summary>
    public static bool IsRunning(BriefState brief) => Of(brief) is Generating or Regenerating;
}
