using System.Text.Json;
using BusinessBrief.Agents;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.Tests.Agents;

/// <summary>The section agents as the Agents worker registers them, without the bus.</summary>
public sealed class SectionAgents : IDisposable
{
    readonly ServiceProvider provider;

    public SectionAgents(IDictionary<string, string?>? settings = null) =>
        provider = new ServiceCollection()
            .AddLogging()
            .AddSectionAgents(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build())
            .BuildServiceProvider(validateScopes: true);

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public ISectionAgent For(string section) => section switch
    {
        SectionNames.MarketResearch => Get<SectionAgent<MarketResearchWriter>>(),
        SectionNames.ContentGeneration => Get<SectionAgent<ContentWriter>>(),
        SectionNames.LogoCreation => Get<SectionAgent<LogoWriter>>(),
        SectionNames.SeoOptimization => Get<SectionAgent<SeoWriter>>(),
        SectionNames.TemplateSelection => Get<SectionAgent<TemplateWriter>>(),
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, "no such section"),
    };

    public async Task<SectionDraft> Write(RunSubAgent job, ModelSpend? spend = null) =>
        await For(job.Section).Write(job, spend ?? new ModelSpend(), CancellationToken.None);

    /// <summary>The result as it travels in <see cref="SubAgentCompleted"/>.</summary>
    public async Task<string> WriteJson(RunSubAgent job) => JsonSerializer.Serialize((await Write(job)).Result);

    public void Dispose() => provider.Dispose();
}

/// <summary>
/// The agent tests are CPU-bound (schema evaluation, SVG parsing, a Kestrel server): they run on their own, after
/// the other tests, so that the saga harness tests, which wait for quiet on the bus, never share the two cores with them.
/// </summary>
[CollectionDefinition(nameof(SectionAgents), DisableParallelization = true)]
public class SectionAgentsCollection;
