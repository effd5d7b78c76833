namespace BusinessBrief.Tests.Architecture;

/// <summary>The arrows between the parts of src/ that must never exist (docs/architecture.md), read from the .csproj and .cs files.</summary>
public class DependencyRulesTests
{
    const string Persistence = "Persistence";
    const string RedisNamespace = "StackExchange.Redis";
    const string PostgresNamespace = "Npgsql";

    static SourceTree Tree => SourceTree.OfThisRepository;

    public static TheoryData<string, string> ForbiddenArrows => new()
    {
        { "Api", "Orchestrator.Worker" },
        { "Api", "Agents.Worker" },
        { "Agents.Worker", Persistence },
        { "Orchestrator.Worker", "Agents.Worker" },
        { "Agents.Worker", "Orchestrator.Worker" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenArrows))]
    public void A_part_never_uses_a_part_kept_apart_from_it(string part, string forbidden)
    {
        var user = Tree.Project(part);
        var used = Tree.Project(forbidden);
        var offences = user.PlacesNaming(used.RootNamespace).ToList();
        if (Tree.Reached(part).TryGetValue(forbidden, out var path))
            offences.Insert(0, $"{user.ProjectFile.Path} reaches {forbidden} through its project references: {path}");

        NoneOf(offences, $"{part} must never use {forbidden}");
    }

    [Fact]
    public void Contracts_depend_on_nothing_but_MassTransit_Abstractions()
    {
        var contracts = Tree.Project("Contracts");
        var otherNamespaces = Tree.Projects.Values.Where(project => project != contracts).Select(project => project.RootNamespace);
        var offences = contracts.ProjectFile.Items("ProjectReference").Select(item => $"{item.Where} references project {item.Include}")
            .Concat(contracts.ProjectFile.Items("FrameworkReference").Select(item => $"{item.Where} references framework {item.Include}"))
            .Concat(contracts.ProjectFile.Items("PackageReference").Where(item => item.Include != "MassTransit.Abstractions")
                .Select(item => $"{item.Where} references package {item.Include}"))
            .Concat(otherNamespaces.SelectMany(contracts.PlacesNaming));

        NoneOf(offences, "Contracts must reference nothing but the MassTransit.Abstractions package");
    }

    [Theory]
    [InlineData(RedisNamespace)]
    [InlineData(PostgresNamespace)]
    public void Only_persistence_names_a_storage_client_in_code(string clientNamespace)
    {
        var offences = Tree.Projects.Values.Where(project => project.Part != Persistence).SelectMany(project => project.PlacesNaming(clientNamespace));

        NoneOf(offences, $"Only src/{Persistence} may name {clientNamespace}; move this code there");
    }

    [Fact]
    public void Only_persistence_references_a_Redis_package()
    {
        var buildFiles = Tree.Projects.Values.Where(project => project.Part != Persistence).Select(project => project.ProjectFile)
            .Concat(Tree.SharedBuildFiles);

        NoneOf(buildFiles.SelectMany(RedisPackages), $"Only src/{Persistence} may reference a Redis package");
    }

    [Fact]
    public void The_agents_reach_no_Redis_not_even_through_a_project_they_reference()
    {
        const string agents = "Agents.Worker";
        var reached = Tree.Reached(agents).Prepend(new(agents, agents));
        var offences = reached.SelectMany(pair =>
        {
            var project = Tree.Project(pair.Key);
            var holdings = project.Part == Persistence
                ? [$"{project.ProjectFile.Path} is the Redis store itself"]
                : RedisPackages(project.ProjectFile).Concat(project.PlacesNaming(RedisNamespace));
            return holdings.Select(holding => $"{pair.Value}: {holding}");
        });

        NoneOf(offences, $"{agents} must reach no Redis, through no project reference");
    }

    // Any package with Redis in its name (StackExchange.Redis, a Redis cache or health check) brings a Redis client with it.
    static IEnumerable<string> RedisPackages(BuildFile file) =>
        file.Items("PackageReference").Where(item => item.Include.Contains("Redis", StringComparison.OrdinalIgnoreCase))
            .Select(item => $"{item.Where} references package {item.Include}");

    internal static void NoneOf(IEnumerable<string> offences, string rule)
    {
        var found = offences.ToList();
        if (found.Count > 0)
            Assert.Fail($"{rule}. {found.Count} offence(s):{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", found)}");
    }
}
