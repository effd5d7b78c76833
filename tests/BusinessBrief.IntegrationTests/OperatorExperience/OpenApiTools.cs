using System.Net;

namespace BusinessBrief.IntegrationTests.OperatorExperience;

/// <summary>
/// The document as a file, and the npm tools client developers run on it (Redocly, openapi-typescript), which
/// <c>./bb test</c> installs in <c>.data/tools</c>.
/// </summary>
public static class OpenApiTools
{
    public static string Folder { get; } = Path.Combine(RepositoryFiles.Root, ".data", "tools");

    /// <summary>Saves <c>/openapi/v1.json</c> as the API serves it under <c>.data/tools/openapi</c>; its path.</summary>
    public static async Task<string> SaveDocument(HttpClient client)
    {
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Folder, "openapi", "v1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    /// <summary>Runs an npm tool from <c>.data/tools</c>; fails the test with the tool's own words when it fails.</summary>
    public static async Task<string> Run(string tool, params string[] arguments)
    {
        var path = Path.Combine(Folder, "node_modules", ".bin", tool);
        Assert.True(File.Exists(path), $"{path} is missing: ./bb test installs it (see ensure_test_tools in ./bb)");
        var (exitCode, output, error) = await RepositoryFiles.Run(path, arguments);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n{error}");
        return output;
    }
}
