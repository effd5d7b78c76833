using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BusinessBrief.Tests.Architecture;

/// <summary>The projects under src/ as they are written on disk: what each one references and what its code names.</summary>
public sealed class SourceTree
{
    static readonly Lazy<SourceTree> Repository = new(() => Read(FindRepositoryRoot(AppContext.BaseDirectory)));

    public static SourceTree OfThisRepository => Repository.Value;

    /// <summary>By part name, the project's folder under src/: "Api", "Agents.Worker", ...</summary>
    public IReadOnlyDictionary<string, SourceProject> Projects { get; }

    /// <summary>Directory.Build.props/.targets at the root and in src/: what they reference, every src project references.</summary>
    public IReadOnlyList<BuildFile> SharedBuildFiles { get; }

    SourceTree(IReadOnlyDictionary<string, SourceProject> projects, IReadOnlyList<BuildFile> sharedBuildFiles)
    {
        Projects = projects;
        SharedBuildFiles = sharedBuildFiles;
    }

    public SourceProject Project(string part) => Projects.TryGetValue(part, out var project)
        ? project
        : throw new InvalidOperationException($"The architecture rules name src/{part}, but no project is there (found: {string.Join(", ", Projects.Keys)}).");

    /// <summary>The projects a project reaches through its ProjectReferences, each with the path that leads to it.</summary>
    public IReadOnlyDictionary<string, string> Reached(string part)
    {
        var paths = new Dictionary<string, string>();
        var pending = new Queue<(string Part, string Path)>([(part, part)]);
        while (pending.TryDequeue(out var next))
            foreach (var referenced in Project(next.Part).ProjectReferences)
                if (referenced != part && paths.TryAdd(referenced, $"{next.Path} → {referenced}"))
                    pending.Enqueue((referenced, paths[referenced]));
        return paths;
    }

    static string FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "BusinessBrief.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"No BusinessBrief.sln in {start} or any folder above it.");
    }

    static SourceTree Read(string root)
    {
        var src = Path.Combine(root, "src");
        var projectFiles = Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories).Where(path => !IsBuildOutput(Relative(src, path))).ToList();
        var partOf = projectFiles.ToDictionary(Path.GetFullPath, path => Relative(src, Path.GetDirectoryName(path)!));
        var projects = projectFiles.Select(path => SourceProject.Read(root, path, partOf)).ToDictionary(project => project.Part);
        var shared = new[] { root, src }
            .SelectMany(folder => new[] { "Directory.Build.props", "Directory.Build.targets" }.Select(name => Path.Combine(folder, name)))
            .Where(File.Exists)
            .Select(path => new BuildFile(Relative(root, path), XDocument.Load(path, LoadOptions.SetLineInfo)))
            .ToList();
        return new SourceTree(projects, shared);
    }

    internal static bool IsBuildOutput(string relativePath) => relativePath.Split('/').Any(segment => segment is "bin" or "obj");

    internal static string Relative(string from, string path) => Path.GetRelativePath(from, path).Replace('\\', '/');
}

/// <summary>One src/ project: its .csproj and its parsed .cs files.</summary>
public sealed record SourceProject(string Part, string RootNamespace, BuildFile ProjectFile, IReadOnlyList<string> ProjectReferences, IReadOnlyList<SourceFile> Files)
{
    /// <summary>Every place the project names a namespace: a using directive, a qualified name in code, a csproj Using item.</summary>
    public IEnumerable<string> PlacesNaming(string @namespace) =>
        ProjectFile.Items("Using").Where(item => item.Include == @namespace).Select(item => $"{item.Where} has <Using Include=\"{@namespace}\">")
            .Concat(Files.SelectMany(file => file.PlacesNaming(@namespace)));

    internal static SourceProject Read(string root, string path, IReadOnlyDictionary<string, string> partOf)
    {
        var folder = Path.GetDirectoryName(path)!;
        var projectFile = new BuildFile(SourceTree.Relative(root, path), XDocument.Load(path, LoadOptions.SetLineInfo));
        var references = projectFile.Items("ProjectReference")
            .Select(item => Path.GetFullPath(Path.Combine(folder, item.Include.Replace('\\', '/'))))
            .Select(reference => partOf.TryGetValue(reference, out var part) ? part : SourceTree.Relative(Path.Combine(root, "src"), reference))
            .ToList();
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !SourceTree.IsBuildOutput(SourceTree.Relative(folder, file)))
            .Select(file => new SourceFile(SourceTree.Relative(root, file), CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file)))
            .ToList();
        var rootNamespace = projectFile.Document.Descendants("RootNamespace").FirstOrDefault()?.Value
            ?? throw new InvalidOperationException($"{projectFile.Path} sets no RootNamespace: the rules need it to tell which code belongs to which part.");
        return new SourceProject(SourceTree.Relative(Path.Combine(root, "src"), folder), rootNamespace, projectFile, references, files);
    }
}

/// <summary>An MSBuild file read with line numbers, so a broken rule can point at the very line.</summary>
public sealed record BuildFile(string Path, XDocument Document)
{
    public IEnumerable<(string Include, string Where)> Items(string kind) =>
        Document.Descendants(kind)
            .Select(item => ((string?)item.Attribute("Include") ?? "", $"{Path}:{((IXmlLineInfo)item).LineNumber}"));
}

/// <summary>One parsed .cs file.</summary>
public sealed record SourceFile(string Path, SyntaxTree Tree)
{
    public IEnumerable<string> PlacesNaming(string @namespace) =>
        Tree.GetRoot().DescendantNodes()
            .Where(node => node is QualifiedNameSyntax or MemberAccessExpressionSyntax && DottedName(node) is { } name
                && (name == @namespace || name == $"global::{@namespace}"))
            .Select(node => $"{Path}:{LineOf(node)} names {@namespace}{(node.Ancestors().Any(a => a is UsingDirectiveSyntax) ? " in a using directive" : "")}");

    public int LineOf(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    // Only names made of plain identifiers ("StackExchange.Redis"), never calls or generic arguments, can be a namespace.
    static string? DottedName(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.Text,
        AliasQualifiedNameSyntax alias => $"{alias.Alias.Identifier.Text}::{alias.Name.Identifier.Text}",
        QualifiedNameSyntax { Right: IdentifierNameSyntax right } qualified when DottedName(qualified.Left) is { } left => $"{left}.{right.Identifier.Text}",
        MemberAccessExpressionSyntax { Name: IdentifierNameSyntax right } access
            when access.IsKind(SyntaxKind.SimpleMemberAccessExpression) && DottedName(access.Expression) is { } left => $"{left}.{right.Identifier.Text}",
        _ => null,
    };
}
