using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BusinessBrief.IntegrationTests.OperatorExperience;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace BusinessBrief.IntegrationTests.Infrastructure;

/// <summary>
/// The real RabbitMQ, Redis and PostgreSQL that <c>./bb test</c> starts. Each fixture works in its own RabbitMQ virtual
/// host, its own Redis key prefix and its own archive schema, so tests never see each other's messages or briefs, nor a
/// running <c>./bb up</c>.
/// </summary>
public static class TestInfrastructure
{
    public static string RabbitMqHost => Environment.GetEnvironmentVariable("BB_TEST_RABBITMQ_HOST") ?? "localhost";
    public static string RedisConnectionString => Environment.GetEnvironmentVariable("BB_TEST_REDIS") ?? "localhost:6379";
    public static string PostgresConnectionString => Environment.GetEnvironmentVariable("BB_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5433;Username=postgres;Database=postgres";
    static string ManagementUrl => $"http://{RabbitMqHost}:15672/api";

    public static string UniqueName(string purpose) => $"bbtest-{purpose}-{Guid.NewGuid():N}"[..32];

    /// <summary>A PostgreSQL schema name of the test's own; the archive creates it at start-up.</summary>
    public static string UniqueSchema(string purpose) => UniqueName(purpose).Replace('-', '_');

    public static async Task DropSchema(string schema)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(PostgresConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    public static string RabbitMqConnectionString(string virtualHost) =>
        $"amqp://guest:guest@{RabbitMqHost}:5672/{Uri.EscapeDataString(virtualHost)}";

    /// <param name="defaultQueueType"><c>quorum</c>: durable queues declared without <c>x-queue-type</c> are quorum queues.</param>
    public static async Task CreateVirtualHost(string name, string? defaultQueueType = null)
    {
        using var http = ManagementClient();
        // RabbitMQ 3.10's management API reads the default queue type as "defaultqueuetype" (later versions as well).
        (await http.PutAsJsonAsync($"{ManagementUrl}/vhosts/{Uri.EscapeDataString(name)}",
            defaultQueueType is null ? new { } : (object)new { defaultqueuetype = defaultQueueType })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"{ManagementUrl}/permissions/{Uri.EscapeDataString(name)}/guest",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The users <c>bbtest-api</c>, <c>bbtest-orchestrator</c> and <c>bbtest-agents</c>, each with the permissions of
    /// its service in <c>deploy/rabbitmq/permissions</c> on <paramref name="virtualHost"/>, as <c>./bb</c> and compose set them up.
    /// </summary>
    public static async Task CreateServiceUsers(string virtualHost)
    {
        using var http = ManagementClient();
        foreach (var (service, configure, write, read) in ServicePermissions())
        {
            (await http.PutAsJsonAsync($"{ManagementUrl}/users/{ServiceUser(service)}", new { password = ServicePassword, tags = "" }))
                .EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"{ManagementUrl}/permissions/{Uri.EscapeDataString(virtualHost)}/{ServiceUser(service)}",
                new { configure, write, read })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>The connection string of <paramref name="service"/>'s own user (see <see cref="CreateServiceUsers"/>).</summary>
    public static string RabbitMqConnectionString(string virtualHost, string service) =>
        RabbitMqConnectionString(virtualHost, service, $"{RabbitMqHost}:5672");

    /// <param name="nodes">host:port, comma-separated, as a cluster's nodes are listed.</param>
    public static string RabbitMqConnectionString(string virtualHost, string service, string nodes) =>
        $"amqp://{ServiceUser(service)}:{ServicePassword}@{nodes}/{Uri.EscapeDataString(virtualHost)}";

    const string ServicePassword = "bbtest-service-password";

    static string ServiceUser(string service) => $"bbtest-{service}";

    static IEnumerable<(string Service, string Configure, string Write, string Read)> ServicePermissions() =>
        File.ReadAllLines(RepositoryFiles.PathOf("deploy/rabbitmq/permissions"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(columns => (columns[0], columns[1], columns[2], columns[3]));

    public static async Task DeleteVirtualHost(string name)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"{ManagementUrl}/vhosts/{Uri.EscapeDataString(name)}");
    }

    public static async Task<IReadOnlyList<string>> VirtualHosts()
    {
        using var http = ManagementClient();
        var hosts = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"{ManagementUrl}/vhosts");
        return [.. hosts.EnumerateArray().Select(host => host.GetProperty("name").GetString()!)];
    }

    /// <summary>Each queue of the virtual host with its type (<c>classic</c>, <c>quorum</c>), as <c>rabbitmqctl list_queues name type</c> shows them.</summary>
    public static async Task<Dictionary<string, string>> QueueTypes(string virtualHost)
    {
        using var http = ManagementClient();
        var queues = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"{ManagementUrl}/queues/{Uri.EscapeDataString(virtualHost)}");
        return queues.EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!, q => q.GetProperty("type").GetString()!);
    }

    /// <summary>The default queue type of a virtual host, as the broker stored it.</summary>
    public static async Task<string?> DefaultQueueType(string virtualHost)
    {
        using var http = ManagementClient();
        var vhost = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"{ManagementUrl}/vhosts/{Uri.EscapeDataString(virtualHost)}");
        return vhost.GetProperty("default_queue_type").GetString();
    }

    /// <summary>Binds exchange <paramref name="destination"/> to the fanout exchange <paramref name="source"/>, as MassTransit binds a message type to an endpoint.</summary>
    public static async Task BindExchange(string virtualHost, string source, string destination)
    {
        await using var connection = await Connect(virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(source, ExchangeType.Fanout, durable: true);
        await channel.ExchangeDeclareAsync(destination, ExchangeType.Fanout, durable: true);
        await channel.ExchangeBindAsync(destination, source, routingKey: "");
    }

    /// <summary>How many bindings lead from exchange <paramref name="source"/> to exchange <paramref name="destination"/>.</summary>
    public static async Task<int> ExchangeBindings(string virtualHost, string source, string destination)
    {
        using var http = ManagementClient();
        var bindings = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(
            $"{ManagementUrl}/bindings/{Uri.EscapeDataString(virtualHost)}/e/{Uri.EscapeDataString(source)}/e/{Uri.EscapeDataString(destination)}");
        return bindings.GetArrayLength();
    }

    /// <summary>Messages waiting in a queue of the virtual host (e.g. an <c>_error</c> queue), or 0 if it does not exist.</summary>
    public static async Task<int> QueueDepth(string virtualHost, string queue)
    {
        using var http = ManagementClient();
        var response = await http.GetAsync($"{ManagementUrl}/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode)
            return 0;
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>
    /// Messages in a queue right now, as the broker answers a passive declare (the management API's figure lags by
    /// its statistics interval); 0 if the queue does not exist yet.
    /// </summary>
    public static async Task<uint> MessageCount(string virtualHost, string queue)
    {
        await using var connection = await Connect(virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>Puts raw bytes on a queue, as a faulty or hostile publisher could.</summary>
    public static async Task PublishRaw(string virtualHost, string queue, string body, string contentType)
    {
        await using var connection = await Connect(virtualHost);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The headers of the first message in a queue whose body contains <paramref name="marker"/>; every message stays queued.</summary>
    public static async Task<IDictionary<string, object?>> HeadersOf(string virtualHost, string queue, string marker)
    {
        await using var connection = await Connect(virtualHost);
        // Unacknowledged gets go back to the queue when the channel closes.
        await using var channel = await connection.CreateChannelAsync();
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
        {
            if (Encoding.UTF8.GetString(message.Body.Span).Contains(marker))
                return message.BasicProperties.Headers ?? new Dictionary<string, object?>();
        }
        throw new InvalidOperationException($"no message containing {marker} in {queue}");
    }

    static Task<IConnection> Connect(string virtualHost) =>
        new ConnectionFactory { Uri = new Uri(RabbitMqConnectionString(virtualHost)) }.CreateConnectionAsync();

    static HttpClient ManagementClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }
}
