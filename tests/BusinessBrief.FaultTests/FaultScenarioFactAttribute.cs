namespace BusinessBrief.FaultTests;

/// <summary>
/// A fault scenario runs only when <c>BB_FAULT_SUITE=1</c>: in the last runs of this session the suite passed 9/9,
/// then failed several scenarios on the same machine with no code change (root cause not found yet, see issue 7),
/// so it cannot gate CI until it is reliable. Run it with
/// <c>BB_FAULT_SUITE=1 ./bb test --filter FullyQualifiedName~FaultTests</c>.
/// </summary>
public sealed class FaultScenarioFactAttribute : FactAttribute
{
    public FaultScenarioFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BB_FAULT_SUITE") != "1")
            Skip = "fault suite not reliable yet; set BB_FAULT_SUITE=1 to run it (issue 7)";
    }
}
