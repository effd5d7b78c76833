using System.Diagnostics;
using BusinessBrief.LoadBenchmark;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>The repository's own files (compose file, Dockerfiles, docs), found from the test's output folder.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The tokens <c>./bb token</c> prints, signed with the development key the API under test reads.</summary>
    public static DevelopmentTokens DevelopmentTokens { get; } = DevelopmentTokens.FromSettings(PathOf(DevelopmentTokens.SettingsFile));

    /// <summary>
    /// Where a test writes a file that belongs in <c>docs/</c> (<paramref name="relative"/> to it): under <c>.data/docs</c>,
    /// so a test run leaves the repository unchanged; <c>./bb docs</c> copies the last run's files into <c>docs/</c>.
    /// </summary>
    public static string DocsArtefact(string relative)
    {
        var path = Path.Combine(Root, ".data", "docs", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Runs a command-line tool from the repository root, <paramref name="input"/> on its standard input; its exit code, output and error output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> Run(string tool, string[] arguments,
        IReadOnlyDictionary<string, string>? environment = null, string input = "")
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null.</summary>
    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, tool))
        .FirstOrDefault(File.Exists);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BusinessBrief.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No BusinessBrief.sln above {AppContext.BaseDirectory}");
    }
}
