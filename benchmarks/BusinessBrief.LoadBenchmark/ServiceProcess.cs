using System.Globalization;

namespace BusinessBrief.LoadBenchmark;

/// <summary>Memory and CPU time of a service process, from <c>/proc/&lt;pid&gt;</c> (Linux).</summary>
public static class ServiceProcess
{
    /// <summary>
    /// Peak (VmHWM, since the process started) and current (VmRSS) resident set, and CPU time so far of the process and
    /// its children, living or ended; null when unreadable.
    /// </summary>
    public static ProcessSample? Read(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            long Kilobytes(string field) => status.Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0])).FirstOrDefault();

            // Children count: Redis forks to rewrite its append-only file, and PostgreSQL serves each connection from a
            // backend process of its own, which lives as long as the services' pooled connection.
            var cpuTicks = CpuTicks(pid) + ChildrenOf(pid).Sum(child => CpuTicks(child) ?? 0);
            return cpuTicks is { } ticks ? new ProcessSample(pid, Kilobytes("VmHWM") / 1024.0, Kilobytes("VmRSS") / 1024.0, ticks / 100.0) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // /proc/<pid>/stat: after the command name (which may contain spaces, so count from its closing parenthesis), the
    // parent pid is field 4; utime, stime, then cutime and cstime (its ended children's) are fields 14 – 17, in clock
    // ticks (100 per second on Linux).
    static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // ended meanwhile: its time is in its parent's cutime now
        }
    }

    static long? CpuTicks(int pid) => StatFields(pid) is { } fields ? fields[11..15].Sum(long.Parse) : null;

    static IEnumerable<int> ChildrenOf(int pid) =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), out var id) ? id : 0)
            .Where(id => id > 0 && StatFields(id) is { } fields && fields[1] == pid.ToString(CultureInfo.InvariantCulture));
}

public record ProcessSample(int Pid, double PeakRssMb, double RssMb, double CpuSeconds);

/// <param name="CpuMsPerBrief">CPU time the process spent per brief of the max-rate run: unlike throughput, barely
/// affected by other work on the machine.</param>
public record ServiceUsage(int Pid, double PeakRssMb, double RssMb, double CpuMsPerBrief);
