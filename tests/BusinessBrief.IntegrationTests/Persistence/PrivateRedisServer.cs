using System.Diagnostics;
using BusinessBrief.IntegrationTests.OperatorExperience;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// A redis-server of one test's own on a free port, data under <c>.data/test-redis/&lt;port&gt;</c>: for settings the shared
/// Redis must not get (a password, a tiny <c>maxmemory</c>).
/// </summary>
public sealed class PrivateRedisServer : IAsyncDisposable
{
    readonly Process process;
    readonly string? password;

    PrivateRedisServer(int port, string? password, Process process)
    {
        Port = port;
        this.password = password;
        this.process = process;
    }

    public int Port { get; }

    /// <summary>
    /// Starts it with <paramref name="settings"/> (<c>--maxmemory</c>, …; later settings override the defaults) on
    /// <paramref name="port"/> or a free one, and waits until it answers.
    /// </summary>
    public static async Task<PrivateRedisServer> Start(IEnumerable<string> settings, string? password = null, int? port = null)
    {
        port ??= RedisMemoryTests.ClosedPort();
        var dir = Path.Combine(RepositoryFiles.Root, ".data", "test-redis", $"{port}");
        // A directory left by an earlier run holds another cluster's nodes.conf or AOF.
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        string[] arguments = ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir,
            .. password is null ? [] : new[] { "--requirepass", password }, .. settings];
        var server = new PrivateRedisServer(port.Value, password,
            Process.Start(new ProcessStartInfo("redis-server", arguments) { RedirectStandardOutput = true })!);
        for (var i = 0; i < 100 && !await server.Answers(); i++)
            await Task.Delay(100);
        return server;
    }

    async Task<bool> Answers()
    {
        try
        {
            var credentials = password is null ? "" : $",password={password}";
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port}{credentials},connectTimeout=200");
            return connection.IsConnected;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }

    /// <summary>Suspends the process (SIGSTOP), as a stalled host would, until the returned handle is disposed (SIGCONT).</summary>
    public async Task<IAsyncDisposable> Freeze()
    {
        await Signal("STOP");
        return new Thawing(() => Signal("CONT"));
    }

    async Task Signal(string signal) => await Process.Start("kill", [$"-{signal}", $"{process.Id}"]).WaitForExitAsync();

    /// <summary>Stops it at once, as a crash would: what it did not write to its AOF or replicate is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }
}

/// <summary>Resumes what a test suspended, when disposed.</summary>
sealed class Thawing(Func<Task> thaw) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await thaw();
}
