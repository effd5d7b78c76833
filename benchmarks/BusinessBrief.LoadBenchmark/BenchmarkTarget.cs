using System.Net;
using StackExchange.Redis;

namespace BusinessBrief.LoadBenchmark;

/// <summary>The running system the benchmark drives, and where to read what it costs.</summary>
public sealed record BenchmarkTarget
{
    /// <summary>The API, with its base address set; requests carry their own bearer token.</summary>
    public required HttpClient Api { get; init; }

    /// <summary>A bearer token for a user id, accepted by the API.</summary>
    public required Func<string, string> TokenFor { get; init; }

    /// <summary>The broker the system uses, with its virtual host (amqp://user:password@host:port/vhost).</summary>
    public required Uri RabbitMq { get; init; }

    /// <summary>RabbitMQ's management HTTP API (…:15672/api/), for the message counters of the virtual host.</summary>
    public required Uri RabbitMqManagement { get; init; }

    /// <summary>The system's Redis (StackExchange.Redis connection string).</summary>
    public required string Redis { get; init; }

    /// <summary>Key prefix of the briefs (<c>BriefStorage:KeyPrefix</c>), so the benchmark can remove what it created.</summary>
    public required string BriefKeyPrefix { get; init; }

    /// <summary>Process ids of the services (api, orchestrator, agents) whose memory is reported; empty when they run in-process.</summary>
    public IReadOnlyDictionary<string, int> Services { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// A load test may only ever target this machine: every address must be a loopback one.
    /// </summary>
    public void EnsureLocal()
    {
        var hosts = new List<string> { RabbitMq.Host, RabbitMqManagement.Host };
        if (Api.BaseAddress is { } api)
            hosts.Add(api.Host);
        hosts.AddRange(ConfigurationOptions.Parse(Redis).EndPoints.Select(endpoint => endpoint switch
        {
            DnsEndPoint dns => dns.Host,
            IPEndPoint ip => ip.Address.ToString(),
            _ => endpoint.ToString() ?? "",
        }));

        var remote = hosts.Where(host => !IsLoopback(host)).Distinct().ToList();
        if (remote.Count > 0)
            throw new ArgumentException($"The benchmark only targets this machine; not a loopback address: {string.Join(", ", remote)}");
    }

    static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
