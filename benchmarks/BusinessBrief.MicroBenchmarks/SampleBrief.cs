using System.Text.Json;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>The README's Dakar brief, as the saga stores it once all five offline agents answered.</summary>
public static class SampleBrief
{
    static readonly BusinessProfile Profile = LoadProfile();

    public static RunSubAgent Job(string section) => new()
    {
        BriefId = Guid.NewGuid(),
        JobId = Guid.NewGuid(),
        Section = section,
        Revision = 1,
        Profile = Profile,
        Language = "fr",
    };

    /// <summary>How the orchestrator and the API lay briefs out in Redis.</summary>
    public static RedisSagaRepositoryOptions<BriefState> StorageLayout(string keyPrefix)
    {
        var repository = new RedisSagaRepositoryConfigurator<BriefState>();
        new BriefStorageOptions { KeyPrefix = keyPrefix }.ApplyTo(repository);
        return repository.BuildOptions();
    }

    public static async Task<BriefState> Completed()
    {
        var now = DateTimeOffset.UtcNow;
        var brief = new BriefState
        {
            CorrelationId = Guid.NewGuid(),
            Status = BriefStatus.Ready,
            UserId = "awa",
            Profile = Profile,
            Language = "fr",
            Revision = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        foreach (var section in SectionAgents.Sections)
        {
            var draft = await SectionAgents.Create(section).Write(Job(section), new ModelSpend(), CancellationToken.None);
            brief.Sections[section] = new SectionState
            {
                Status = SectionStatus.Completed,
                JobId = Guid.NewGuid(),
                Revision = 1,
                Attempts = 1,
                Confidence = draft.Confidence,
                Backend = draft.Backend,
                Result = JsonSerializer.SerializeToElement(draft.Result),
                UpdatedAt = now,
            };
        }
        return brief;
    }

    static BusinessProfile LoadProfile()
    {
        using var stream = typeof(SampleBrief).Assembly.GetManifestResourceStream("dakar-brief.json")!;
        return JsonSerializer.Deserialize<BusinessProfile>(stream, SagaJson.Options)!;
    }
}
