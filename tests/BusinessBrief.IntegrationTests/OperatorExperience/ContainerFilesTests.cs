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
    };

    [Fact]
    public async Task The_compose_file_is_valid_for_docker_compose()
    {
        var (exitCode, _, error) = await RepositoryFiles.Run(DockerCompose(), ["-f", "docker-compose.yml", "config", "-q"], Credentials);

        Assert.True(exitCode == 0, $"docker-compose rejects docker-compose.yml:\n{error}");
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
    public async Task Agents_can_be_scaled_because_no_copy_claims_a_host_port_or_a_container_name()
    {
        var agents = (await ResolvedComposeFile()).GetProperty("services").GetProperty("agents");

        Assert.False(agents.TryGetProperty("ports", out _), "a fixed host port lets only one agents container start");
        Assert.False(agents.TryGetProperty("container_name", out _), "a container name lets only one agents container start");
    }

    [Theory]
    [InlineData("src/Api/Dockerfile", "BusinessBrief.Api.dll")]
    [InlineData("src/Orchestrator.Worker/Dockerfile", "BusinessBrief.Orchestrator.Worker.dll")]
    [InlineData("src/Agents.Worker/Dockerfile", "BusinessBrief.Agents.Worker.dll")]
    public void Each_service_image_builds_with_the_sdk_and_runs_as_a_non_root_user_on_the_aspnet_runtime(string dockerfile, string entryPoint)
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf(dockerfile)).Where(l => !l.TrimStart().StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", stages[0]);
        Assert.Equal("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1]);
        var runtime = lines.SkipWhile(l => l != stages[1]).ToList();
        Assert.Contains("USER app", runtime);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{entryPoint}\"]", runtime);
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
    }

    /// <summary>The compose file as docker-compose resolves it (anchors, defaults, variables), as JSON.</summary>
    static async Task<JsonElement> ResolvedComposeFile()
    {
        var (exitCode, yaml, error) = await RepositoryFiles.Run(DockerCompose(), ["-f", "docker-compose.yml", "config"], Credentials);
        Assert.True(exitCode == 0, error);
        // docker-compose is written in Python and depends on PyYAML, so both are there whenever it is.
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, yaml);
            var (converted, json, conversionError) = await RepositoryFiles.Run("python3",
                ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", path]);
            Assert.True(converted == 0, conversionError);
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        finally
        {
            File.Delete(path);
        }
    }

    static string DockerCompose() =>
        RepositoryFiles.Which("docker-compose")
        ?? throw new InvalidOperationException("docker-compose is not installed: `./bb test` installs it (apt-get install docker-compose).");
}
