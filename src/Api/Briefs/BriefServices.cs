using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Briefs;

/// <summary>What the endpoints that read briefs need (as eShop's <c>OrderServices</c>), resolved from DI per request.</summary>
public class BriefServices(BriefStore store, TimeProvider clock)
{
    public BriefStore Store { get; } = store;
    public TimeProvider Clock { get; } = clock;
}
