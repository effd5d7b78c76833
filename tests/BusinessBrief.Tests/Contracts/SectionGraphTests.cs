using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Contracts;

public class SectionGraphTests
{
    static Dictionary<string, IReadOnlyList<string>> Independent() => SectionNames.All.ToDictionary(s => s, _ => (IReadOnlyList<string>)[]);

    [Fact]
    public void The_brief_runs_each_section_after_the_sections_it_is_written_from()
    {
        var graph = SectionGraph.Brief;

        Assert.Equal(SectionNames.All.Order(), graph.Order.Order());
        foreach (var section in graph.Order)
            Assert.All(graph.InputsOf(section), input => Assert.True(graph.Order.ToList().IndexOf(input) < graph.Order.ToList().IndexOf(section)));
        Assert.Equal([SectionNames.MarketResearch], graph.InputsOf(SectionNames.SeoOptimization));
        Assert.Equal([SectionNames.MarketResearch], graph.InputsOf(SectionNames.ContentGeneration));
        Assert.Equal([SectionNames.LogoCreation], graph.InputsOf(SectionNames.TemplateSelection));
        Assert.Empty(graph.InputsOf(SectionNames.MarketResearch));
        Assert.Empty(graph.InputsOf(SectionNames.LogoCreation));
    }

    [Fact]
    public void Downstream_of_a_section_is_everything_built_on_it_directly_or_through_another_section()
    {
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.SeoOptimization],
            SectionGraph.Brief.DownstreamOf([SectionNames.MarketResearch]).Order());
        Assert.Empty(SectionGraph.Brief.DownstreamOf([SectionNames.SeoOptimization]));

        var chain = Independent();
        chain[SectionNames.ContentGeneration] = [SectionNames.MarketResearch];
        chain[SectionNames.SeoOptimization] = [SectionNames.ContentGeneration];
        Assert.Equal([SectionNames.ContentGeneration, SectionNames.SeoOptimization], new SectionGraph(chain).DownstreamOf([SectionNames.MarketResearch]));
        Assert.Equal([SectionNames.SeoOptimization], new SectionGraph(chain).DownstreamOf([SectionNames.MarketResearch, SectionNames.ContentGeneration]));
    }

    [Fact]
    public void A_graph_with_a_cycle_is_refused_naming_the_sections_on_it()
    {
        var cyclic = Independent();
        cyclic[SectionNames.SeoOptimization] = [SectionNames.ContentGeneration];
        cyclic[SectionNames.ContentGeneration] = [SectionNames.SeoOptimization];

        var refused = Assert.Throws<ArgumentException>(() => new SectionGraph(cyclic));

        Assert.Contains("cycle", refused.Message);
        Assert.Contains(SectionNames.SeoOptimization, refused.Message);
        Assert.DoesNotContain(SectionNames.LogoCreation, refused.Message);
    }

    [Fact]
    public void A_graph_naming_an_unknown_section_or_missing_one_is_refused()
    {
        var unknown = Independent();
        unknown[SectionNames.SeoOptimization] = ["keyword_research"];
        Assert.Contains("keyword_research", Assert.Throws<ArgumentException>(() => new SectionGraph(unknown)).Message);

        var missing = Independent();
        missing.Remove(SectionNames.LogoCreation);
        Assert.Contains(SectionNames.LogoCreation, Assert.Throws<ArgumentException>(() => new SectionGraph(missing)).Message);
    }
}
