namespace BusinessBrief.LoadBenchmark;

/// <summary>Resident memory of a service process, from <c>/proc/&lt;pid&gt;/status</c> (Linux).</summary>
public static class ServiceMemory
{
    /// <summary>Peak (VmHWM, since the process started) and current (VmRSS) resident set; null when unreadable.</summary>
    public static ProcessMemory? Of(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
            return null;

        var lines = File.ReadAllLines(status);
        long Kilobytes(string field) => lines.Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0])).FirstOrDefault();
        return new ProcessMemory(pid, Kilobytes("VmHWM") / 1024.0, Kilobytes("VmRSS") / 1024.0);
    }
}

public record ProcessMemory(int Pid, double PeakRssMb, double RssMb);
