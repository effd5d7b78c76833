using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.LoadBenchmark;
using BusinessBrief.ServiceDefaults;
using MassTransit;
using Npgsql;

namespace BusinessBrief.FaultTests;

/// <summary>
/// The fault suite's world: its own RabbitMQ node, redis-server and PostgreSQL (the archive), the service builds to run as processes,
/// a subscriber that records every <see cref="BriefReady"/>/<see cref="BriefIncomplete"/> with its message id,
/// and the report each scenario adds a row to.
/// </summary>
/// <remarks>
/// Ports, node name and folder are this run's own (free ports picked at start, folder
/// <c>.data/chaos/&lt;pid&gt;</c>): two runs on one machine, or a run beside <c>./bb up</c>, once consumed each
/// other's messages through fixed names. A finished run's folder stays for reading its logs until the next run.
/// </remarks>
public sealed class ChaosStack : IAsyncLifetime
{
    static readonly string Root = FindRepositoryRoot();
    static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
    static readonly string RunsDirectory = Path.Combine(Root, ".data", "chaos");

    readonly string runDirectory = Path.Combine(RunsDirectory, Environment.ProcessId.ToString());
    readonly int rabbitPort = FreePort(), managementPort = FreePort(), distributionPort = FreePort(), redisPort = FreePort(),
        postgresPort = FreePort();
    readonly SemaphoreSlim clusterStart = new(1, 1);
    IBusControl subscriber = null!;
    ClusterEngines? cluster;
    IBusControl? clusterSubscriber;

    public string RabbitMq => $"amqp://guest:guest@127.0.0.1:{rabbitPort}/";
    public string Redis => $"127.0.0.1:{redisPort}";
    public string Postgres => $"Host=127.0.0.1;Port={postgresPort};Username=postgres;Database=postgres";
    string Management => $"http://127.0.0.1:{managementPort}/api";
    public Broker Broker => new(RabbitMq, Management, "/");
    public string LogDirectory => Path.Combine(runDirectory, "logs");
    public ConcurrentDictionary<(Guid BriefId, int Revision), ConcurrentBag<Guid>> Announcements { get; } = new();
    public IBus Bus => subscriber;
    public List<ScenarioResult> Results { get; } = [];

    public async Task InitializeAsync()
    {
        RemoveFinishedRuns();
        await Infra("rabbit-start");
        await Infra("redis-start");
        await Infra("postgres-start");
        subscriber = await Subscribe(RabbitMq);
    }

    public async Task DisposeAsync()
    {
        await subscriber.StopAsync();
        ReliabilityReport.Write(Path.Combine(Root, ".data", "docs", "reliability.md"), Results, Path.Combine(Root, "docs", "reliability.md"));
        if (cluster is not null)
        {
            await clusterSubscriber!.StopAsync();
            await cluster.Stop();
        }
        await Infra("rabbit-stop");
        await Infra("redis-stop");
        await Infra("postgres-stop");
    }

    /// <summary>
    /// The clustered engines, started by the first scenario that needs them and stopped with the suite, so that a run
    /// of single-node scenarios alone does not wait for them. Their announcements land in <see cref="Announcements"/> too.
    /// </summary>
    public async Task<ClusterEngines> Cluster()
    {
        await clusterStart.WaitAsync();
        try
        {
            if (cluster is null)
            {
                var engines = new ClusterEngines(Root);
                await engines.Start();
                clusterSubscriber = await Subscribe(engines.RabbitMq);
                cluster = engines;
            }
            return cluster;
        }
        finally
        {
            clusterStart.Release();
        }
    }

    async Task<IBusControl> Subscribe(string rabbitMq)
    {
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(RabbitMqAddress.Parse(rabbitMq));
            cfg.ReceiveEndpoint("chaos-announcements", e =>
            {
                e.Handler<BriefReady>(c => Record(c.Message.BriefId, c.Message.Revision, c.MessageId));
                e.Handler<BriefIncomplete>(c => Record(c.Message.BriefId, c.Message.Revision, c.MessageId));
            });
        });
        await bus.StartAsync();
        return bus;
    }

    Task Record(Guid briefId, int revision, Guid? messageId)
    {
        Announcements.GetOrAdd((briefId, revision), _ => []).Add(messageId ?? Guid.Empty);
        return Task.CompletedTask;
    }

    public ServiceProcess Service(string name, int port, IReadOnlyDictionary<string, string> environment)
    {
        var project = name switch
        {
            var n when n.StartsWith("api") => ("Api", "BusinessBrief.Api"),
            var n when n.StartsWith("orchestrator") => ("Orchestrator.Worker", "BusinessBrief.Orchestrator.Worker"),
            _ => ("Agents.Worker", "BusinessBrief.Agents.Worker"),
        };
        var dll = Path.Combine(Root, "src", project.Item1, "bin", Configuration, "net10.0", project.Item2 + ".dll");
        Directory.CreateDirectory(LogDirectory);
        return new ServiceProcess(name, dll, port, environment, LogDirectory);
    }

    public async Task RestartRabbitMq()
    {
        await StopRabbitMq();
        await StartRabbitMq();
    }

    public Task StopRabbitMq() => Infra("rabbit-stop");

    public Task StartRabbitMq() => Infra("rabbit-start");

    /// <summary>Stops Redis and starts it again after <paramref name="downtime"/>.</summary>
    public async Task RestartRedis(TimeSpan downtime)
    {
        await Infra("redis-stop");
        await Task.Delay(downtime);
        await Infra("redis-start");
    }

    /// <summary>Stops PostgreSQL and starts it again after <paramref name="downtime"/>.</summary>
    public async Task RestartPostgres(TimeSpan downtime)
    {
        await Infra("postgres-stop");
        await Task.Delay(downtime);
        await Infra("postgres-start");
    }

    /// <summary>How many of <paramref name="briefIds"/> the archive holds a <c>ready</c> revision of.</summary>
    public async Task<int> ArchivedReady(IReadOnlyCollection<Guid> briefIds)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT count(DISTINCT brief_id) FROM brief_archive.briefs WHERE status = 'ready' AND brief_id = ANY(@ids)", connection);
        count.Parameters.AddWithValue("ids", briefIds.ToArray());
        return Convert.ToInt32(await count.ExecuteScalarAsync());
    }

    async Task Infra(string action)
    {
        var startInfo = new ProcessStartInfo("bash", [Path.Combine(AppContext.BaseDirectory, "chaos-infra.sh"), action])
        {
            RedirectStandardError = true,
        };
        startInfo.Environment["CHAOS_DIR"] = runDirectory;
        startInfo.Environment["CHAOS_NODE"] = $"bbchaos{Environment.ProcessId}@localhost";
        startInfo.Environment["CHAOS_RABBIT_PORT"] = rabbitPort.ToString();
        startInfo.Environment["CHAOS_RABBIT_UI_PORT"] = managementPort.ToString();
        startInfo.Environment["CHAOS_RABBIT_DIST_PORT"] = distributionPort.ToString();
        startInfo.Environment["CHAOS_REDIS_PORT"] = redisPort.ToString();
        startInfo.Environment["CHAOS_POSTGRES_PORT"] = postgresPort.ToString();
        var script = Process.Start(startInfo)!;
        var error = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        if (script.ExitCode != 0)
            throw new InvalidOperationException($"chaos-infra.sh {action} failed: {error}");
    }

    /// <summary>Empties every queue of a scenario's broker, so a scenario's counts are its own.</summary>
    public static async Task PurgeQueues(Broker broker)
    {
        using var http = ManagementClient();
        foreach (var queue in await http.GetFromJsonAsync<JsonElement[]>(broker.Queues) ?? [])
            await http.DeleteAsync($"{broker.Queues}/{Uri.EscapeDataString(queue.GetProperty("name").GetString()!)}/contents");
    }

    /// <summary>
    /// Messages parked in the broker's <c>_error</c> queues, and what MassTransit wrote on the first few of each
    /// (queue, exception type and message), so that a failed scenario says why without its logs.
    /// </summary>
    public async Task<ErrorQueues> ErrorQueues() => await ErrorQueues(Broker);

    /// <inheritdoc cref="ErrorQueues()"/>
    public static async Task<ErrorQueues> ErrorQueues(Broker broker)
    {
        using var http = ManagementClient();
        var queues = await http.GetFromJsonAsync<JsonElement[]>(broker.Queues) ?? [];
        var parked = queues
            .Select(q => (Name: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) ? m.GetInt32() : 0))
            .Where(q => q.Name.EndsWith("_error") && q.Messages > 0)
            .ToList();

        var faults = new List<string>();
        foreach (var queue in parked)
            faults.AddRange(await FaultsIn(http, broker, queue.Name));
        return new ErrorQueues(parked.Sum(q => q.Messages), string.Join(" | ", faults));
    }

    // Best effort: a failed peek must not hide the count, which is what the scenario asserts.
    static async Task<IEnumerable<string>> FaultsIn(HttpClient http, Broker broker, string queue)
    {
        try
        {
            // ack_requeue_true: reading leaves the messages in the queue, for a person to inspect after the run.
            using var peek = await http.PostAsJsonAsync($"{broker.Queues}/{Uri.EscapeDataString(queue)}/get",
                new { count = 3, ackmode = "ack_requeue_true", encoding = "auto", truncate = 1000 });
            if (!peek.IsSuccessStatusCode)
                return [$"{queue}: could not read its messages ({(int)peek.StatusCode})"];
            return (await peek.Content.ReadFromJsonAsync<JsonElement[]>() ?? []).Select(message =>
            {
                var headers = message.GetProperty("properties").TryGetProperty("headers", out var h) ? h : default;
                return $"{queue}: {Header(headers, "MT-Fault-ExceptionType")}: {Header(headers, "MT-Fault-Message")}";
            }).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return [$"{queue}: could not read its messages ({ex.Message})"];
        }
    }

    static string Header(JsonElement headers, string name) =>
        headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value) ? value.ToString() : "?";

    public static HttpClient ApiClient(string url, string userId)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(userId));
        return client;
    }

    public static string TokenFor(string userId) => Tokens.For(userId);

    static readonly DevelopmentTokens Tokens = DevelopmentTokens.FromSettings(Path.Combine(Root, DevelopmentTokens.SettingsFile));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Deletes the folders of earlier runs whose test process is gone (the current one's logs stay). A run killed before
    /// its cleanup left its RabbitMQ node, redis-server and PostgreSQL running on that folder: they are stopped first.
    /// </summary>
    static void RemoveFinishedRuns()
    {
        if (!Directory.Exists(RunsDirectory))
            return;
        foreach (var run in new DirectoryInfo(RunsDirectory).EnumerateDirectories())
        {
            if (int.TryParse(run.Name, out var pid) && IsRunning(pid))
                continue;
            StopLeftover(run, "rabbitmq.pid");
            StopLeftover(run, "redis.pid");
            StopLeftover(run, Path.Combine("postgres", "postmaster.pid"));
            run.Delete(recursive: true);
        }
    }

    // Only a process that still works in the run's folder: a pid file outlives its process, and the pid may be reused.
    static void StopLeftover(DirectoryInfo run, string pidFile)
    {
        var file = Path.Combine(run.FullName, pidFile);
        // postmaster.pid holds more lines after the pid.
        if (!File.Exists(file) || !int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid))
            return;
        try
        {
            var workingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (workingDirectory is null || !workingDirectory.StartsWith(run.FullName + Path.DirectorySeparatorChar))
                return;
            using var leftover = Process.GetProcessById(pid);
            leftover.Kill();
            leftover.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            // Gone meanwhile, or not ours to stop.
        }
    }

    static bool IsRunning(int pid)
    {
        try
        {
            return !Process.GetProcessById(pid).HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static HttpClient ManagementClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }

    static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BusinessBrief.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("BusinessBrief.sln not found above the test binaries");
    }
}

[CollectionDefinition(Name)]
public class ChaosCollection : ICollectionFixture<ChaosStack>
{
    public const string Name = "chaos";
}

/// <summary>A scenario's broker: the address its services are given, and where the suite reads its queues.</summary>
public record Broker(string RabbitMq, string Management, string VirtualHost)
{
    public string Queues => $"{Management}/queues/{Uri.EscapeDataString(VirtualHost)}";
}

/// <param name="Faults">"queue: exception type: message" for the first few parked messages of each queue.</param>
public record ErrorQueues(int Messages, string Faults);

