using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// The virtual host's message counters from RabbitMQ's management API. The broker refreshes them every few
/// seconds (<c>collect_statistics_interval</c>, 5 s by default), so a reading only counts once it stopped moving.
/// </summary>
public sealed class BrokerStatistics(Uri management, string virtualHost) : IDisposable
{
    // Two refresh intervals and a bit: on a loaded machine the broker's statistics fall behind by more than one.
    static readonly TimeSpan StableFor = TimeSpan.FromSeconds(11);
    static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    readonly HttpClient http = ManagementClient(management);

    public static BrokerStatistics For(Uri management, Uri rabbitMq) =>
        new(management, Uri.UnescapeDataString(rabbitMq.AbsolutePath.TrimStart('/')) is { Length: > 0 } vhost ? vhost : "/");

    /// <summary>Waits until the counters have not changed for longer than the broker's refresh interval.</summary>
    public async Task<MessageCounters> Settled(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var last = await Read(cancellationToken);
        var stableSince = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(stableSince) < StableFor && Stopwatch.GetElapsedTime(started) < SettleTimeout)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var current = await Read(cancellationToken);
            if (current != last)
            {
                last = current;
                stableSince = Stopwatch.GetTimestamp();
            }
        }
        return last;
    }

    async Task<MessageCounters> Read(CancellationToken cancellationToken)
    {
        var vhost = await http.GetFromJsonAsync<JsonElement>($"vhosts/{Uri.EscapeDataString(virtualHost)}", cancellationToken);
        if (!vhost.TryGetProperty("message_stats", out var stats))
            return new MessageCounters(0, 0, 0);

        long Counter(string name) => stats.TryGetProperty(name, out var value) ? value.GetInt64() : 0;
        return new MessageCounters(Counter("publish"), Counter("deliver_get"), Counter("redeliver"));
    }

    /// <summary>A client of RabbitMQ's management API at <paramref name="management"/>, as the user its address names (guest otherwise).</summary>
    public static HttpClient ManagementClient(Uri management)
    {
        var user = management.UserInfo is { Length: > 0 } info ? Uri.UnescapeDataString(info) : "guest:guest";
        var http = new HttpClient
        {
            BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri,
            Timeout = TimeSpan.FromSeconds(10),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        return http;
    }

    public void Dispose() => http.Dispose();
}

/// <param name="Published">Messages published into the virtual host's exchanges.</param>
/// <param name="Delivered">Deliveries to consumers (including redeliveries).</param>
public record MessageCounters(long Published, long Delivered, long Redelivered)
{
    public static MessageCounters operator -(MessageCounters after, MessageCounters before) =>
        new(after.Published - before.Published, after.Delivered - before.Delivered, after.Redelivered - before.Redelivered);
}
