using System.Text.Json;
using BusinessBrief.Agents;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.TransportFloor;

/// <summary>
/// The README's Dakar brief and each section as the offline agents write it for that brief, written once at start-up,
/// so that the floor's messages are the size and shape of the real ones.
/// </summary>
public sealed class SampleSections
{
    /// <summary>The README's Dakar brief, as the API hands it to the orchestrator.</summary>
    public static BusinessProfile ExampleProfile { get; } = ReadExampleProfile();

    public required IReadOnlyDictionary<string, JsonElement> Results { get; init; }

    public static async Task<SampleSections> Write()
    {
        var services = new ServiceCollection().AddLogging().AddSectionAgents(new ConfigurationBuilder().Build()).BuildServiceProvider();
        Func<RunSubAgent, Task<SectionDraft>> Writer<TAgent>()
            where TAgent : class, ISectionAgent => job => services.GetRequiredService<TAgent>().Write(job, new ModelSpend(), CancellationToken.None);
        var agents = new Dictionary<string, Func<RunSubAgent, Task<SectionDraft>>>
        {
            [SectionNames.MarketResearch] = Writer<SectionAgent<MarketResearchWriter>>(),
            [SectionNames.ContentGeneration] = Writer<SectionAgent<ContentWriter>>(),
            [SectionNames.LogoCreation] = Writer<SectionAgent<LogoWriter>>(),
            [SectionNames.SeoOptimization] = Writer<SectionAgent<SeoWriter>>(),
            [SectionNames.TemplateSelection] = Writer<SectionAgent<TemplateWriter>>(),
        };
        var results = new Dictionary<string, JsonElement>();
        foreach (var section in SectionGraph.Brief.Order)
        {
            var job = FloorMessages.Job(Guid.NewGuid(), section, ExampleProfile, results);
            var draft = await agents[section](job);
            results[section] = JsonSerializer.SerializeToElement(draft.Result);
        }
        return new SampleSections { Results = results };
    }

    /// <summary>Every section a few bytes: the messages without the weight of what the agents write.</summary>
    public static SampleSections Small() => new()
    {
        Results = SectionNames.All.ToDictionary(section => section, section => JsonSerializer.SerializeToElement(new { section })),
    };

    static BusinessProfile ReadExampleProfile()
    {
        using var stream = typeof(SampleSections).Assembly.GetManifestResourceStream("dakar-brief.json")!;
        return JsonSerializer.Deserialize<BusinessProfile>(stream,
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
    }
}
