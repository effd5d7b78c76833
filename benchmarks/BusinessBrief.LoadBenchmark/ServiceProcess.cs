namespace BusinessBrief.LoadBenchmark;

/// <summary>Memory and CPU time of a service process, from <c>/proc/&lt;pid&gt;</c> (Linux).</summary>
public static class ServiceProcess
{
    /// <summary>
    /// Peak (VmHWM, since the process started) and current (VmRSS) resident set, CPU time so far (its ended
    /// children's included); null when unreadable.
    /// </summary>
    public static ProcessSample? Read(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            long Kilobytes(string field) => status.Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0])).FirstOrDefault();

            // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux), then
            // cutime and cstime, its children's once they ended: Redis forks to rewrite its append-only file, and that
            // child's CPU is part of what briefs cost. The command name in field 2 may contain spaces, so count from
            // its closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpuTicks = fields[11..15].Sum(long.Parse);
            return new ProcessSample(pid, Kilobytes("VmHWM") / 1024.0, Kilobytes("VmRSS") / 1024.0, cpuTicks / 100.0);
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
}

public record ProcessSample(int Pid, double PeakRssMb, double RssMb, double CpuSeconds);

/// <param name="CpuMsPerBrief">CPU time the process spent per brief of the max-rate run: unlike throughput, barely
/// affected by other work on the machine.</param>
public record ServiceUsage(int Pid, double PeakRssMb, double RssMb, double CpuMsPerBrief);
