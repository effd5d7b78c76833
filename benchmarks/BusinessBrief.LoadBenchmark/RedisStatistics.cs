using StackExchange.Redis;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// Commands executed (<c>INFO commandstats</c>, which also counts the commands a Lua script runs), memory used
/// (<c>INFO memory</c>), bytes received and forks (<c>INFO stats</c>: each append-only file rewrite or snapshot forks
/// a child that copies the whole dataset). All are server-wide: anything else using the same Redis at the same time
/// counts too. A Redis Cluster's are the sums over its masters (a replica repeats its master's writes).
/// </summary>
public sealed class RedisStatistics(IConnectionMultiplexer redis)
{
    public async Task<RedisSnapshot> Read()
    {
        var masters = await Task.WhenAll(redis.GetServers().Where(server => !server.IsReplica).Select(Read));
        return new RedisSnapshot(
            masters.SelectMany(m => m.Commands).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)),
            masters.Sum(m => m.UsedMemoryBytes), masters.Sum(m => m.ReceivedBytes), masters.Sum(m => m.Forks));
    }

    static async Task<RedisSnapshot> Read(IServer server)
    {
        var commands = (await server.InfoAsync("commandstats"))
            .SelectMany(group => group)
            .Where(entry => entry.Key.StartsWith("cmdstat_", StringComparison.Ordinal))
            .ToDictionary(entry => entry.Key["cmdstat_".Length..], entry => Calls(entry.Value));
        var memory = (await server.InfoAsync("memory")).SelectMany(group => group)
            .First(entry => entry.Key == "used_memory").Value;
        var stats = (await server.InfoAsync("stats")).SelectMany(group => group).ToDictionary(entry => entry.Key, entry => entry.Value);
        return new RedisSnapshot(commands, long.Parse(memory), long.Parse(stats["total_net_input_bytes"]), long.Parse(stats["total_forks"]));
    }

    // "calls=12,usec=345,usec_per_call=28.75,rejected_calls=0,failed_calls=0"
    static long Calls(string stats) =>
        stats.Split(',').Select(part => part.Split('=', 2)).Where(kv => kv[0] == "calls").Select(kv => long.Parse(kv[1])).FirstOrDefault();
}

public record RedisSnapshot(IReadOnlyDictionary<string, long> Commands, long UsedMemoryBytes, long ReceivedBytes, long Forks)
{
    /// <summary>Commands per unit of work, by command name, largest first.</summary>
    public static IReadOnlyDictionary<string, double> CommandsPer(RedisSnapshot before, RedisSnapshot after, int units) =>
        after.Commands
            .Select(c => (Name: c.Key, Calls: c.Value - before.Commands.GetValueOrDefault(c.Key)))
            .Where(c => c.Calls > 0)
            .OrderByDescending(c => c.Calls)
            .ToDictionary(c => c.Name, c => Math.Round(c.Calls / (double)Math.Max(units, 1), 2));
}
