using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusinessBrief.Agents;

public static class AgentsExtensions
{
    public static IHostApplicationBuilder AddSubAgents(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddBriefMetrics();
        builder.Services.AddOptions<SubAgentOptions>().Bind(builder.Configuration.GetSection(SubAgentOptions.SectionName));
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSectionAgent<MarketResearchAgent>();
            bus.AddSectionAgent<ContentGenerationAgent>();
            bus.AddSectionAgent<LogoCreationAgent>();
            bus.AddSectionAgent<SeoOptimizationAgent>();
            bus.AddSectionAgent<TemplateSelectionAgent>();
            bus.UsingBriefRabbitMq();
        });
        return builder;
    }

    static void AddSectionAgent<TAgent>(this IBusRegistrationConfigurator bus)
        where TAgent : class, ISectionAgent
    {
        bus.AddSingleton<TAgent>();
        bus.AddConsumer<RunSubAgentConsumer<TAgent>, SubAgentConsumerDefinition<TAgent>>();
    }
}
