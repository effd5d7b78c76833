using System.Text.Json;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>
/// The container setup, checked without a Docker engine (none runs on the development and CI machines):
/// docker-compose 1.29 validates and resolves the compose file on its own (<c>./bb test</c> installs it).
/// </summary>
public class ContainerFilesTests
{
    static readonly string[] Services = ["api", "orchestrator", "agents"];

    /// <summary>The compose file refuses to start without credentials in the environment, as a deployment must set them.</summary>
    static readonly Dictionary<string, string> Credentials = new()
    {
        ["RABBITMQ_DEFAULT_USER"] = "businessbrief",
        ["RABBITMQ_DEFAULT_PASS"] = "compose-check",
        ["REDIS_PASSWORD"] = "compose-check",
        ["POSTGRES_PASSWORD"] = "compose-check",
        ["RABBITMQ_API_PASSWORD"] = "compose-api",
        ["RABBITMQ_ORCHESTRATOR_PASSWORD"] = "compose-orchestrator",
        ["RABBITMQ_AGENTS_PASSWORD"] = "compose-agents",
        ["JWT_SIGNING_KEY"] = "Y29tcG9zZS1jaGVjay1rZXktb2YtMzItYnl0ZXMtLS0=",
    };

    [Fact]
    public async Task The_compose_file_is_valid_for_docker_compose()
    {
        var (exitCode, _, error) = await RepositoryFiles.Run(DockerCompose(), ["-f", "docker-compose.yml", "config", "-q"], Credentials);

        Assert.True(exitCode == 0, $"docker-compose rejects docker-compose.yml:\n{error}");
    }

    [Fact]
    public async Task Every_service_runs_in_production_as_its_own_rabbitmq_user_with_the_secrets_of_the_environment()
    {
        var services = (await ResolvedComposeFile()).GetProperty("services");

        foreach (var name in Services)
        {
            var environment = services.GetProperty(name).GetProperty("environment");
            Assert.Equal("Production", environment.GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
            var password = Credentials[$"RABBITMQ_{name.ToUpperInvariant()}_PASSWORD"];
            Assert.Equal($"amqp://businessbrief-{name}:{password}@rabbitmq:5672/", environment.GetProperty("ConnectionStrings__rabbitmq").GetString());
        }
        var api = services.GetProperty("api").GetProperty("environment");
        Assert.Equal(Credentials["JWT_SIGNING_KEY"], api.GetProperty("Authentication__Schemes__Bearer__SigningKeys__0__Value").GetString());
        Assert.Equal("redis:6379,password=compose-check", api.GetProperty("ConnectionStrings__redis").GetString());
    }

    [Theory]
    [InlineData("JWT_SIGNING_KEY")]
    [InlineData("RABBITMQ_AGENTS_PASSWORD")]
    [InlineData("REDIS_PASSWORD")]
    public async Task The_compose_file_refuses_to_start_without_a_secret_and_names_it(string secret)
    {
        // Empty rather than absent: `./bb test` exports the local RabbitMQ passwords, which the child would inherit.
        var environment = Credentials.ToDictionary();
        environment[secret] = "";
        var (exitCode, _, error) = await RepositoryFiles.Run(DockerCompose(), ["-f", "docker-compose.yml", "config", "-q"], environment);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"set {secret}", error);
    }

    [Fact]
    public async Task Every_service_starts_only_once_rabbitmq_and_redis_are_healthy_and_reports_its_own_health()
    {
        var services = (await ResolvedComposeFile()).GetProperty("services");

        foreach (var name in Services)
        {
            var service = services.GetProperty(name);
            foreach (var dependency in new[] { "rabbitmq", "redis" })
                Assert.Equal("service_healthy", service.GetProperty("depends_on").GetProperty(dependency).GetProperty("condition").GetString());
            Assert.Contains("/health/ready", string.Join(' ', service.GetProperty("healthcheck").GetProperty("test").EnumerateArray()));
        }
        Assert.True(services.GetProperty("rabbitmq").TryGetProperty("healthcheck", out _));
        Assert.True(services.GetProperty("redis").TryGetProperty("healthcheck", out _));
    }

    [Fact]
    public async Task The_api_and_the_orchestrator_start_only_once_the_archive_database_is_healthy()
    {
        var services = (await ResolvedComposeFile()).GetProperty("services");

        foreach (var name in new[] { "api", "orchestrator" })
            Assert.Equal("service_healthy", services.GetProperty(name).GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString());
        Assert.Contains("pg_isready", string.Join(' ', services.GetProperty("postgres").GetProperty("healthcheck").GetProperty("test").EnumerateArray()));
    }

    [Fact]
    public async Task Agents_can_be_scaled_because_no_copy_claims_a_host_port_or_a_container_name()
    {
        var agents = (await ResolvedComposeFile()).GetProperty("services").GetProperty("agents");

        Assert.False(agents.TryGetProperty("ports", out _), "a fixed host port lets only one agents container start");
        Assert.False(agents.TryGetProperty("container_name", out _), "a container name lets only one agents container start");
    }

    [Theory]
    [InlineData("api", "BusinessBrief.Api")]
    [InlineData("orchestrator", "BusinessBrief.Orchestrator.Worker")]
    [InlineData("agents", "BusinessBrief.Agents.Worker")]
    public async Task Each_service_image_comes_from_the_one_Dockerfile_and_runs_its_own_published_project_as_a_non_root_user_on_the_aspnet_runtime(
        string service, string project)
    {
        var build = (await ResolvedComposeFile()).GetProperty("services").GetProperty(service).GetProperty("build");
        Assert.Equal(RepositoryFiles.Root, build.GetProperty("context").GetString());
        Assert.Equal("Dockerfile", build.TryGetProperty("dockerfile", out var file) ? file.GetString() : "Dockerfile");
        var stages = DockerfileStages();
        var image = stages[build.GetProperty("target").GetString()!];

        var chain = BaseStages(image, stages);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", chain[0].From);
        Assert.Equal("USER app", chain.SelectMany(s => s.Instructions).Last(i => i.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", image.Instructions);
        // What the image runs is the folder the sdk stage published this service's project to, not another service's.
        var copy = image.Instructions.Single(i => i.StartsWith("COPY --from=", StringComparison.Ordinal)).Split(' ');
        var published = stages[copy[1]["--from=".Length..]];
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", published.From);
        Assert.Contains(published.Instructions, i => i.StartsWith("RUN dotnet publish ", StringComparison.Ordinal)
            && i.Contains($"/{project}.csproj ", StringComparison.Ordinal) && i.Contains($" -o {copy[2]} ", StringComparison.Ordinal));
    }

    record DockerStage(string From, List<string> Instructions);

    /// <summary>The Dockerfile's stages by name, each instruction on one line (continuations joined, comments dropped).</summary>
    static Dictionary<string, DockerStage> DockerfileStages()
    {
        var instructions = File.ReadAllText(RepositoryFiles.PathOf("Dockerfile")).Replace("\\\n", " ").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
        var stages = new Dictionary<string, DockerStage>();
        DockerStage? current = null;
        foreach (var instruction in instructions)
        {
            if (instruction.StartsWith("FROM ", StringComparison.Ordinal))
            {
                var words = instruction.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(words is [_, _, "AS", _], $"every stage is named: {instruction}");
                current = stages[words[3]] = new DockerStage(words[1], []);
            }
            else
                current!.Instructions.Add(instruction);
        }
        return stages;
    }

    /// <summary><paramref name="stage"/> and the stages it is built on, the one on a published image first.</summary>
    static List<DockerStage> BaseStages(DockerStage stage, Dictionary<string, DockerStage> stages)
    {
        var chain = new List<DockerStage> { stage };
        while (stages.TryGetValue(chain[0].From, out var parent))
            chain.Insert(0, parent);
        return chain;
    }

    /// <summary>The compose file as docker-compose resolves it (anchors, defaults, variables), as JSON.</summary>
    static async Task<JsonElement> ResolvedComposeFile()
    {
        var (exitCode, yaml, error) = await RepositoryFiles.Run(DockerCompose(), ["-f", "docker-compose.yml", "config"], Credentials);
        Assert.True(exitCode == 0, error);
        // docker-compose is written in Python and depends on PyYAML, so both are there whenever it is.
        var (converted, json, conversionError) = await RepositoryFiles.Run("python3",
            ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))"], input: yaml);
        Assert.True(converted == 0, conversionError);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    static string DockerCompose() =>
        RepositoryFiles.Which("docker-compose")
        ?? throw new InvalidOperationException("docker-compose is not installed: `./bb test` installs it (apt-get install docker-compose).");
}
