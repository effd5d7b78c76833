using System.Reflection;
using BusinessBrief.Agents.SubAgents;
using Microsoft.Extensions.DependencyInjection;

namespace BusinessBrief.MicroBenchmarks;

/// <summary>
/// The offline <see cref="ISectionAgent"/> implementations, found by type and built the way the agents host builds
/// them (from DI), so the benchmarks keep working whatever the agents need in their constructors.
/// </summary>
public static class OfflineAgents
{
    static readonly IServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddOptions()
        .AddSingleton(TimeProvider.System)
        .BuildServiceProvider();

    static readonly IReadOnlyDictionary<string, Type> BySection = typeof(ISectionAgent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISectionAgent).IsAssignableFrom(t)
            && t.Namespace?.EndsWith(".Offline", StringComparison.Ordinal) == true)
        .ToDictionary(SectionOf);

    public static IEnumerable<string> Sections => BySection.Keys.Order();

    public static ISectionAgent Create(string section) =>
        (ISectionAgent)ActivatorUtilities.CreateInstance(Services, BySection[section]);

    static string SectionOf(Type agent) =>
        (string)typeof(OfflineAgents).GetMethod(nameof(Section), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(agent).Invoke(null, null)!;

    static string Section<TAgent>()
        where TAgent : ISectionAgent => TAgent.Section;
}
