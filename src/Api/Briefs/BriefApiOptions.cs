namespace BusinessBrief.Api.Briefs;

/// <summary>The <c>BriefApi</c> configuration section.</summary>
public class BriefApiOptions
{
    public const string SectionName = "BriefApi";

    /// <summary>
    /// How many of a user's briefs may be generating at once. Every brief spends sub-agent (LLM) calls, so a
    /// user who stays under the request rate can still not start an unbounded amount of work.
    /// </summary>
    public int MaxBriefsInFlight { get; set; } = 5;

    /// <summary>
    /// How many reads with <c>Prefer: wait</c> one user may hold open at once on one API instance: each holds a connection
    /// and a subscription for up to 30 s. A client follows a brief with one; more is a leak or a flood.
    /// </summary>
    public int MaxLongPollsPerUser { get; set; } = 5;

    public TokenBudgetOptions TokenBudgets { get; set; } = new();

    public BriefRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>Per-user request rates, each a fixed window (<c>BriefApi:RateLimits</c>).</summary>
public class BriefRateLimitOptions
{
    public RateLimit Generate { get; set; } = new();
    public RateLimit Regenerate { get; set; } = new();
}

public class RateLimit
{
    public int PermitLimit { get; set; } = 10;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Language-model tokens that may be spent per UTC day (<c>BriefApi:TokenBudgets</c>); once one is spent, new
/// generations and regenerations are refused until midnight UTC. 0 means no limit. The offline backend spends none.
/// </summary>
public class TokenBudgetOptions
{
    /// <summary>Per user: about 20 LLM-written briefs with their regenerations.</summary>
    public long PerUserPerDay { get; set; } = 500_000;

    /// <summary>All users together: the provider bill a day may reach.</summary>
    public long GlobalPerDay { get; set; } = 20_000_000;
}
