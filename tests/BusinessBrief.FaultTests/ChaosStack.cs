using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BusinessBrief.Contracts;
using MassTransit;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BusinessBrief.FaultTests;

/// <summary>
/// The fault suite's world: its own RabbitMQ node (5673) and redis-server (6380), the service builds to run as
/// processes, a subscriber that records every <see cref="BriefReady"/>/<see cref="BriefIncomplete"/> with its
/// message id, and the report each scenario adds a row to.
/// </summary>
public sealed class ChaosStack : IAsyncLifetime
{
    public const string RabbitMq = "amqp://guest:guest@127.0.0.1:5673/";
    public const string Redis = "127.0.0.1:6380";
    const string Management = "http://127.0.0.1:15673/api";

    static readonly string Root = FindRepositoryRoot();
    static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    IBusControl subscriber = null!;

    public string LogDirectory { get; } = Path.Combine(Root, ".data", "chaos", "logs");
    public ConcurrentDictionary<(Guid BriefId, int Revision), ConcurrentBag<Guid>> Announcements { get; } = new();
    public IBus Bus => subscriber;
    public List<ScenarioResult> Results { get; } = [];

    public async Task InitializeAsync()
    {
        await Infra("rabbit-start");
        await Infra("redis-start");
        subscriber = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(RabbitMq));
            cfg.ReceiveEndpoint("chaos-announcements", e =>
            {
                e.Handler<BriefReady>(c => Record(c.Message.BriefId, c.Message.Revision, c.MessageId));
                e.Handler<BriefIncomplete>(c => Record(c.Message.BriefId, c.Message.Revision, c.MessageId));
            });
        });
        await subscriber.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await subscriber.StopAsync();
        ReliabilityReport.Write(Path.Combine(Root, "docs", "reliability.md"), Results);
        await Infra("rabbit-stop");
        await Infra("redis-stop");
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
            "api" => ("Api", "BusinessBrief.Api"),
            var n when n.StartsWith("orchestrator") => ("Orchestrator.Worker", "BusinessBrief.Orchestrator.Worker"),
            _ => ("Agents.Worker", "BusinessBrief.Agents.Worker"),
        };
        var dll = Path.Combine(Root, "src", project.Item1, "bin", Configuration, "net10.0", project.Item2 + ".dll");
        Directory.CreateDirectory(LogDirectory);
        return new ServiceProcess(name, dll, port, environment, LogDirectory);
    }

    public static Task RestartRabbitMq() => Infra("rabbit-stop").ContinueWith(_ => Infra("rabbit-start")).Unwrap();

    public static async Task RestartRedis()
    {
        await Infra("redis-stop");
        await Infra("redis-start");
    }

    public static async Task Infra(string action)
    {
        var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(AppContext.BaseDirectory, "chaos-infra.sh"), Root, action])
        {
            RedirectStandardError = true,
        })!;
        var error = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        if (script.ExitCode != 0)
            throw new InvalidOperationException($"chaos-infra.sh {action} failed: {error}");
    }

    /// <summary>Empties every queue of the chaos broker, so a scenario's counts are its own.</summary>
    public async Task PurgeQueues()
    {
        using var http = ManagementClient();
        foreach (var queue in await http.GetFromJsonAsync<JsonElement[]>($"{Management}/queues") ?? [])
            await http.DeleteAsync($"{Management}/queues/%2F/{Uri.EscapeDataString(queue.GetProperty("name").GetString()!)}/contents");
    }

    /// <summary>Messages parked in the broker's <c>_error</c> queues.</summary>
    public async Task<int> ErrorQueueMessages()
    {
        using var http = ManagementClient();
        var queues = await http.GetFromJsonAsync<JsonElement[]>($"{Management}/queues") ?? [];
        return queues.Where(q => q.GetProperty("name").GetString()!.EndsWith("_error"))
            .Sum(q => q.TryGetProperty("messages", out var m) ? m.GetInt32() : 0);
    }

    public static HttpClient ApiClient(string url, string userId)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId));
        return client;
    }

    static string Token(string userId)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "Api", "appsettings.Development.json")));
        var bearer = settings.RootElement.GetProperty("Authentication").GetProperty("Schemes").GetProperty("Bearer");
        var key = Convert.FromBase64String(bearer.GetProperty("SigningKeys")[0].GetProperty("Value").GetString()!);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", userId)]),
            Issuer = bearer.GetProperty("ValidIssuer").GetString(),
            Audience = bearer.GetProperty("ValidAudiences")[0].GetString(),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    static HttpClient ManagementClient()
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
