using System.Reflection;
using BusinessBrief.Agents;
using BusinessBrief.Agents.SubAgents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>
/// The five <see cref="ISectionAgent"/> implementations exactly as the agents host registers them
/// (<see cref="AgentsExtensions.AddSectionAgents"/>), with no configuration: every section on its offline backend.
/// Found by type among the registrations, so the benchmarks follow however the agents are built.
/// </summary>
public static class SectionAgents
{
    static readonly IServiceCollection Registrations = new ServiceCollection()
        .AddLogging()
        .AddSectionAgents(new ConfigurationBuilder().Build());

    static readonly IServiceProvider Services = Registrations.BuildServiceProvider();

    static readonly IReadOnlyDictionary<string, Type> BySection = Registrations
        .Select(registration => registration.ServiceType)
        .Where(type => type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(ISectionAgent).IsAssignableFrom(type))
        .Distinct()
        .ToDictionary(SectionOf);

    public static IEnumerable<string> Sections => BySection.Keys.Order();

    public static ISectionAgent Create(string section) => (ISectionAgent)Services.GetRequiredService(BySection[section]);

    public static SectionSchemas Schemas => Services.GetRequiredService<SectionSchemas>();

    static string SectionOf(Type agent) =>
        (string)typeof(SectionAgents).GetMethod(nameof(Section), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(agent).Invoke(null, null)!;

    static string Section<TAgent>()
        where TAgent : ISectionAgent => TAgent.Section;
}
