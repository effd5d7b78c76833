using System.Text.Json;
using BusinessBrief.LoadBenchmark;

// ./bb bench [--briefs N] [--concurrency C] [--json FILE] [...] and ./bb token <user>: see Usage below.
const string Usage = """
    usage: BusinessBrief.LoadBenchmark [options]   (normally through ./bb bench, after ./bb up)
           BusinessBrief.LoadBenchmark token <user> [--settings FILE]
                                   print a development bearer token for <user> (./bb token <user>)

      --briefs N               briefs of the max-rate run (default 2000)
      --concurrency C          clients submitting at once (default 64)
      --json FILE              also write the report as JSON
      --warmup N               warm-up briefs, not measured (default 500)
      --raw-seconds S          raw broker ceiling phase (default 5)
      --half-rate-seconds S    measured fixed-rate run at half the max rate, 0 to skip (default 20)
      --half-rate-warmup S     its unmeasured start (default 5)
      --poll-ms MS             client poll interval, 0 for no polling (default 500, as ./bb demo)
      --timeout-seconds S      a brief with no BriefReady after this is lost (default 60)
      --keep-briefs            leave the briefs in Redis (default: delete them at the end)
      --latencies FILE         also write every brief's latencies as CSV, to see when the slow ones happened
      --api URL                default http://127.0.0.1:8080
      --rabbitmq URI           default $ConnectionStrings__rabbitmq or amqp://guest:guest@localhost:5672/
      --management URL         default http://guest:guest@localhost:15672/api/
      --redis CONN             default $ConnectionStrings__redis or localhost:6379
      --key-prefix P           BriefStorage:KeyPrefix of the stack (default bb:brief:)
      --settings FILE          API settings with the development signing key (default src/Api/appsettings.Development.json)
      --pid-dir DIR            where ./bb up wrote api.pid, orchestrator.pid, agents.pid, rabbitmq.pid, redis.pid, or a
                               cluster's orchestrator-1.pid, rabbit1.pid, redis-7000.pid… (default .data/run)
      --postgres-pid FILE      PostgreSQL's postmaster.pid (default .data/postgres/postmaster.pid)
    """;

var settings = new Dictionary<string, string>
{
    ["api"] = "http://127.0.0.1:8080",
    ["rabbitmq"] = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "amqp://guest:guest@localhost:5672/",
    ["management"] = "http://guest:guest@localhost:15672/api/",
    ["redis"] = Environment.GetEnvironmentVariable("ConnectionStrings__redis") ?? "localhost:6379",
    ["key-prefix"] = "bb:brief:",
    ["settings"] = DevelopmentTokens.SettingsFile,
    ["pid-dir"] = ".data/run",
    ["postgres-pid"] = ".data/postgres/postmaster.pid",
};
if (args is ["token", ..])
    return PrintToken(args[1..], settings["settings"]);

var options = new LoadBenchmarkOptions();
string? jsonFile = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var name = args[i];
        string Value() => ++i < args.Length ? args[i] : throw new ArgumentException($"{name} needs a value");
        double Seconds() => double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
        switch (name)
        {
            case "--briefs": options = options with { Briefs = int.Parse(Value()) }; break;
            case "--concurrency": options = options with { Concurrency = int.Parse(Value()) }; break;
            case "--warmup": options = options with { WarmupBriefs = int.Parse(Value()) }; break;
            case "--raw-seconds": options = options with { RawCeilingDuration = TimeSpan.FromSeconds(Seconds()) }; break;
            case "--half-rate-seconds": options = options with { HalfRateDuration = TimeSpan.FromSeconds(Seconds()) }; break;
            case "--half-rate-warmup": options = options with { HalfRateWarmup = TimeSpan.FromSeconds(Seconds()) }; break;
            case "--poll-ms": options = options with { PollInterval = TimeSpan.FromMilliseconds(Seconds()) }; break;
            case "--timeout-seconds": options = options with { BriefTimeout = TimeSpan.FromSeconds(Seconds()) }; break;
            case "--keep-briefs": options = options with { KeepBriefs = true }; break;
            case "--latencies": options = options with { LatenciesFile = Value() }; break;
            case "--json": jsonFile = Value(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            case ['-', '-', .. var key] when settings.ContainsKey(key): settings[key] = Value(); break;
            default: throw new ArgumentException($"unknown option '{name}'");
        }
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"bench: {ex.Message}\n\n{Usage}");
    return 2;
}

var tokens = DevelopmentTokens.FromSettings(settings["settings"]);
using var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096 })
{
    BaseAddress = new Uri(settings["api"].TrimEnd('/') + "/"),
    Timeout = TimeSpan.FromSeconds(30),
};
var target = new BenchmarkTarget
{
    Api = api,
    TokenFor = tokens.For,
    RabbitMq = new Uri(settings["rabbitmq"]),
    RabbitMqManagement = new Uri(settings["management"].TrimEnd('/') + "/"),
    Redis = settings["redis"],
    BriefKeyPrefix = settings["key-prefix"],
    Services = ServicePids(settings["pid-dir"], settings["postgres-pid"]),
};

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var report = await new LoadBenchmarkRun(target, options, Console.Out).Run(stop.Token);
report.WriteTable(Console.Out);
if (jsonFile is not null)
{
    await File.WriteAllTextAsync(jsonFile, JsonSerializer.Serialize(report, BenchmarkReport.Json));
    Console.WriteLine($"bench: report written to {jsonFile}");
}
return report.Lost == 0 ? 0 : 1;

static int PrintToken(string[] arguments, string defaultSettings)
{
    var (user, settings) = arguments switch
    {
        [var name] => (name, defaultSettings),
        [var name, "--settings", var file] => (name, file),
        _ => (null, defaultSettings),
    };
    if (string.IsNullOrWhiteSpace(user) || user.StartsWith('-'))
    {
        Console.Error.WriteLine("usage: ./bb token <user>   (BusinessBrief.LoadBenchmark token <user> [--settings FILE])");
        return 2;
    }
    try
    {
        Console.WriteLine(DevelopmentTokens.FromSettings(settings).Mint(user));
        return 0;
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or FormatException
                                   or JsonException or InvalidOperationException)
    {
        Console.Error.WriteLine($"token: cannot read the development signing key from {settings}: {ex.Message}");
        return 1;
    }
}

static Dictionary<string, int> ServicePids(string directory, string postgresPidFile) =>
    // The broker, Redis and PostgreSQL too: with them, the CPU time per brief of every process on the machine adds up. A
    // cluster's copies and nodes (orchestrator-2.pid, rabbit3.pid, redis-7001.pid) each count.
    (Directory.Exists(directory) ? Directory.GetFiles(directory, "*.pid") : [])
        .Select(file => (Name: Path.GetFileNameWithoutExtension(file), PidFile: file))
        .Where(service => new[] { "api", "orchestrator", "agents", "rabbit", "redis" }.Any(service.Name.StartsWith))
        .OrderBy(service => service.Name)
        .Append((Name: "postgres", PidFile: postgresPidFile))
        .Select(service => (service.Name, Pid: PidIn(service.PidFile)))
        .Where(service => service.Pid > 0)
        .ToDictionary(service => service.Name, service => service.Pid);

// The pid on the file's first line (PostgreSQL's postmaster.pid goes on with its data directory, port and so on); 0 if none.
static int PidIn(string file) =>
    File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), out var pid) ? pid : 0;
