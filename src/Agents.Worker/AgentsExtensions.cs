using System.ClientModel;
using System.ClientModel.Primitives;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Agents.SubAgents;
using BusinessBrief.Agents.SubAgents.Llm;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenAI;
using Polly;

namespace BusinessBrief.Agents;

public static class AgentsExtensions
{
    public static IHostApplicationBuilder AddSubAgents(this IHostApplicationBuilder builder)
    {
        builder.RequireSettings(RequiredSettings.RabbitMq);
        builder.Services.AddSectionAgents(builder.Configuration);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSectionAgentConsumer<MarketResearchWriter>();
            bus.AddSectionAgentConsumer<ContentWriter>();
            bus.AddSectionAgentConsumer<LogoWriter>();
            bus.AddSectionAgentConsumer<SeoWriter>();
            bus.AddSectionAgentConsumer<TemplateWriter>();
            bus.AddBriefCancellationConsumer();
            bus.UsingBriefRabbitMq();
        });
        return builder;
    }

    /// <summary>The five section agents with their offline writers, catalogues, schemas and the LLM backend.</summary>
    public static IServiceCollection AddSectionAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddBriefMetrics();
        services.AddBrokerConfirmDeadline();
        services.AddOptions<SubAgentOptions>()
            .Bind(configuration.GetSection(SubAgentOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SubAgentOptions>, SubAgentOptionsValidation>();

        services.AddSingleton<SectorCatalogue>();
        services.AddSingleton<PlaceCatalogue>();
        services.AddSingleton<TemplateCatalogue>();
        services.AddSingleton<MarketSignals>();
        services.AddSingleton<LogoCatalogue>();
        services.AddLocalization();
        services.AddSingleton<Wording>();
        services.AddSingleton<BriefReader>();
        services.AddSingleton<SectionSchemas>();
        services.AddSingleton<JobCancellations>();
        services.AddSectionJobAttempts();
        services.AddSectionAgent<MarketResearchWriter>();
        services.AddSectionAgent<ContentWriter>();
        services.AddSectionAgent<LogoWriter>();
        services.AddSectionAgent<SeoWriter>();
        services.AddSectionAgent<TemplateWriter>();

        services.AddLlmBackend();
        return services;
    }

    static void AddSectionAgent<TWriter>(this IServiceCollection services)
        where TWriter : class, IOfflineSectionWriter
    {
        services.AddSingleton<TWriter>();
        services.AddSingleton<SectionAgent<TWriter>>();
    }

    static void AddSectionAgentConsumer<TWriter>(this IBusRegistrationConfigurator bus)
        where TWriter : class, IOfflineSectionWriter =>
        bus.AddConsumer<RunSubAgentConsumer<SectionAgent<TWriter>>, SubAgentConsumerDefinition<SectionAgent<TWriter>>>();

    /// <summary>Each agents process's own cancellation queue (see <see cref="BriefCancellationConsumerDefinition"/>).</summary>
    public static void AddBriefCancellationConsumer(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<BriefCancellationConsumer, BriefCancellationConsumerDefinition>();

    /// <summary>
    /// An <see cref="IChatClient"/> over any OpenAI-compatible endpoint. HTTP faults (408, 429, 5xx, network) are
    /// retried here with exponential backoff, honouring Retry-After; the OpenAI client's own retries are off so
    /// that a fault is not retried twice over.
    /// </summary>
    static void AddLlmBackend(this IServiceCollection services)
    {
        services.AddSingleton<LlmSectionWriter>();
        services.AddHttpClient(LlmOptions.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("llm-http", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<SubAgentOptions>>().Value.Llm;
                if (settings.HttpRetries == 0)
                    return;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = settings.HttpRetries,
                    Delay = settings.HttpRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
            });
        services.AddChatClient(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<SubAgentOptions>>().Value.Llm;
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(LlmOptions.HttpClientName);
            var client = new OpenAIClient(
                // Local servers need no key, but the client insists on one.
                new ApiKeyCredential(string.IsNullOrWhiteSpace(settings.ApiKey) ? "none" : settings.ApiKey),
                new OpenAIClientOptions
                {
                    Endpoint = settings.BaseUrl,
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    NetworkTimeout = settings.RequestTimeout,
                });
            return client.GetChatClient(settings.Model ?? "unset").AsIChatClient();
        });
    }

    /// <summary>Reports each settings problem in words, at start-up, instead of a generic failure.</summary>
    sealed class SubAgentOptionsValidation : IValidateOptions<SubAgentOptions>
    {
        public ValidateOptionsResult Validate(string? name, SubAgentOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
