namespace BusinessBrief.Contracts;

/// <summary>
/// Which sections a section builds on. A section's job carries the results of its inputs, so it runs only once they
/// are settled; regenerating an input makes everything downstream of it stale. Checked when built: every name is a
/// section and there is no cycle, so every section can eventually run.
/// </summary>
public sealed class SectionGraph
{
    /// <summary>
    /// The brief's graph: website copy and SEO are written for the segments, search keywords and price position the
    /// market research found; the template is chosen to match the logo's palette. Market research and logo need
    /// nothing but the profile.
    /// </summary>
    public static SectionGraph Brief { get; } = new(new Dictionary<string, IReadOnlyList<string>>
    {
        [SectionNames.MarketResearch] = [],
        [SectionNames.LogoCreation] = [],
        [SectionNames.ContentGeneration] = [SectionNames.MarketResearch],
        [SectionNames.SeoOptimization] = [SectionNames.MarketResearch],
        [SectionNames.TemplateSelection] = [SectionNames.LogoCreation],
    });

    readonly IReadOnlyDictionary<string, IReadOnlyList<string>> inputs;

    public SectionGraph(IReadOnlyDictionary<string, IReadOnlyList<string>> inputs)
    {
        if (SectionNames.All.Except(inputs.Keys).ToList() is { Count: > 0 } undeclared)
            throw new ArgumentException($"sections without declared inputs: {string.Join(", ", undeclared)}", nameof(inputs));
        if (inputs.Keys.Concat(inputs.Values.SelectMany(v => v)).Except(SectionNames.All).ToList() is { Count: > 0 } unknown)
            throw new ArgumentException($"unknown sections: {string.Join(", ", unknown.Distinct())}", nameof(inputs));
        this.inputs = inputs;
        Order = TopologicalOrder(inputs);
    }

    /// <summary>Every section, each after all of its inputs.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>The sections whose results <paramref name="section"/> is written from.</summary>
    public IReadOnlyList<string> InputsOf(string section) => inputs[section];

    /// <summary>
    /// Every section that builds on any of <paramref name="sections"/>, directly or through another section, in
    /// <see cref="Order"/>; the given sections themselves are not included.
    /// </summary>
    public IReadOnlyList<string> DownstreamOf(IEnumerable<string> sections)
    {
        var changed = sections.ToHashSet();
        var downstream = new List<string>();
        foreach (var section in Order)
            if (!changed.Contains(section) && inputs[section].Any(input => changed.Contains(input) || downstream.Contains(input)))
                downstream.Add(section);
        return downstream;
    }

    /// <summary>Kahn's algorithm in <see cref="SectionNames.All"/> order; what remains once nothing is free is a cycle.</summary>
    static IReadOnlyList<string> TopologicalOrder(IReadOnlyDictionary<string, IReadOnlyList<string>> inputs)
    {
        var order = new List<string>();
        var remaining = SectionNames.All.ToList();
        while (remaining.FirstOrDefault(s => inputs[s].All(order.Contains)) is { } free)
        {
            order.Add(free);
            remaining.Remove(free);
        }
        if (remaining.Count > 0)
            throw new ArgumentException($"the section inputs form a cycle through {string.Join(", ", remaining)}", nameof(inputs));
        return order;
    }
}
