namespace BusinessBrief.LoadBenchmark;

/// <summary>Percentiles of a set of latencies (nearest rank), in milliseconds.</summary>
public record Latencies(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static Latencies Of(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
            return new Latencies(0, 0, 0, 0, 0);

        double At(double percentile) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
        return new Latencies(sorted.Length, At(0.50), At(0.95), At(0.99), Math.Round(sorted[^1], 1));
    }
}
