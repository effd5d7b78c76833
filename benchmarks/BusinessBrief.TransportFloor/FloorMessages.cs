using System.Text.Json;
using BusinessBrief.Contracts;

namespace BusinessBrief.TransportFloor;

/// <summary>The real contracts, filled as the orchestrator and the agents fill them.</summary>
public static class FloorMessages
{
    /// <summary>A section's job, carrying the results of the sections it reads (<see cref="SectionGraph"/>).</summary>
    public static RunSubAgent Job(Guid briefId, string section, BusinessProfile profile, IReadOnlyDictionary<string, JsonElement> results) => new()
    {
        BriefId = briefId,
        JobId = Guid.NewGuid(),
        Section = section,
        Revision = 1,
        Profile = profile,
        Language = "fr",
        Inputs = [.. SectionGraph.Brief.InputsOf(section).Select(input => new SectionInput { Section = input, Revision = 1, Result = results[input] })],
    };
}
