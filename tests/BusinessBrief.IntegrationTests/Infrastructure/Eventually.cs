namespace BusinessBrief.IntegrationTests.Infrastructure;

/// <summary>
/// Waits for what the system does asynchronously (a consumer, a subscriber, an exporter) by polling a probe.
/// On timeout the test fails saying what it waited for and the last value the probe gave, so a slow system
/// and a wrong one can be told apart from the message alone.
/// </summary>
public static class Eventually
{
    static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The first value <paramref name="probe"/> gives that is not null.</summary>
    public static async Task<T> Found<T>(string awaited, Func<T?> probe, TimeSpan? timeout = null)
        where T : class =>
        (await Returns(awaited, probe, value => value is not null, timeout))!;

    /// <summary>The first value <paramref name="probe"/> gives that <paramref name="until"/> accepts.</summary>
    public static Task<T> Returns<T>(string awaited, Func<T> probe, Func<T, bool> until, TimeSpan? timeout = null) =>
        Returns(awaited, () => Task.FromResult(probe()), until, timeout);

    /// <inheritdoc cref="Returns{T}(string, Func{T}, Func{T, bool}, TimeSpan?)"/>
    public static async Task<T> Returns<T>(string awaited, Func<Task<T>> probe, Func<T, bool> until, TimeSpan? timeout = null)
    {
        var patience = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var value = await probe();
            if (until(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"waited {patience.TotalSeconds} s for {awaited}; last seen: {value?.ToString() ?? "nothing"}");
            await Task.Delay(PollInterval);
        }
    }
}
