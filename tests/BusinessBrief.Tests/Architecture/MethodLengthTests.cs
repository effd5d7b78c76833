using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BusinessBrief.Tests.Architecture;

public class MethodLengthTests
{
    const int MaximumLines = 60;

    [Fact]
    public void No_method_in_src_is_over_60_lines()
    {
        var offences = SourceTree.OfThisRepository.Projects.Values
            .SelectMany(project => project.Files)
            .SelectMany(file => BodiesOf(file).Select(body => (file, body.Member, body.Lines)))
            .Where(measured => measured.Lines > MaximumLines && !IsTheStateMachineDsl(measured.Member))
            .OrderByDescending(measured => measured.Lines)
            .Select(measured => $"{measured.file.Path}:{measured.file.LineOf(measured.Member)} {NameOf(measured.Member)} is {measured.Lines} lines");

        DependencyRulesTests.NoneOf(offences, $"No method in src/ may be over {MaximumLines} lines; split these");
    }

    // A member's length is the line span of its body, braces included, or of its => expression. Lambdas count toward the
    // member that holds them; a local function is measured on its own and within its method.
    static IEnumerable<(SyntaxNode Member, int Lines)> BodiesOf(SourceFile file) =>
        file.Tree.GetRoot().DescendantNodes()
            .Select(node => (Member: node, Body: node switch
            {
                BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
                AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
                LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
                BasePropertyDeclarationSyntax property => property is PropertyDeclarationSyntax { ExpressionBody: { } body } ? body
                    : property is IndexerDeclarationSyntax { ExpressionBody: { } indexerBody } ? indexerBody : null,
                _ => null,
            }))
            .Where(measured => measured.Body is not null)
            .Select(measured => (measured.Member, LineSpan(measured.Body!)));

    static int LineSpan(SyntaxNode body)
    {
        var span = body.GetLocation().GetLineSpan();
        return span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
    }

    // The saga's constructor is MassTransit's DSL: one Initially/During block per state, read top to bottom as the spec's table.
    static bool IsTheStateMachineDsl(SyntaxNode member) => member is ConstructorDeclarationSyntax { Identifier.Text: "BriefStateMachine" };

    static string NameOf(SyntaxNode member)
    {
        var type = string.Join(".", member.Ancestors().OfType<BaseTypeDeclarationSyntax>().Reverse().Select(t => t.Identifier.Text));
        var name = member switch
        {
            MethodDeclarationSyntax method => method.Identifier.Text,
            ConstructorDeclarationSyntax => "constructor",
            OperatorDeclarationSyntax op => $"operator {op.OperatorToken.Text}",
            AccessorDeclarationSyntax accessor => $"{NameOfOwner(accessor)} {accessor.Keyword.Text}",
            LocalFunctionStatementSyntax local => $"{NameOf(local.Ancestors().First(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax))} local {local.Identifier.Text}",
            PropertyDeclarationSyntax property => property.Identifier.Text,
            _ => member.Kind().ToString(),
        };
        return member is LocalFunctionStatementSyntax || type.Length == 0 ? name : $"{type}.{name}";
    }

    static string NameOfOwner(AccessorDeclarationSyntax accessor) => accessor.Parent?.Parent switch
    {
        PropertyDeclarationSyntax property => property.Identifier.Text,
        EventDeclarationSyntax @event => @event.Identifier.Text,
        _ => "this[]",
    };
}
