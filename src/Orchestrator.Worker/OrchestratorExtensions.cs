using BusinessBrief.Orchestrator.Archive;
using BusinessBrief.Orchestrator.Briefs;
using BusinessBrief.Orchestrator.Deadlines;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;
using BusinessBrief.Persistence.Redis;
using BusinessBrief.ServiceDefaults;
using BusinessBrief.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusinessBrief.Orchestrator;

public static class OrchestratorExtensions
{
    public static IHostApplicationBuilder AddBriefOrchestrator(this IHostApplicationBuilder builder)
    {
        builder.RequireSettings(RequiredSettings.RabbitMq, RequiredSettings.Redis, RequiredSettings.Postgres);
        var storage = builder.Configuration.GetSection(BriefStorageOptions.SectionName).Get<BriefStorageOptions>() ?? new();
        var archive = builder.Configuration.GetSection(BriefArchiveOptions.SectionName).Get<BriefArchiveOptions>() ?? new();

        builder.Services.AddBriefStore(builder.Configuration);
        builder.Services.AddOptions<SectionAnswerLimits>().Bind(builder.Configuration.GetSection(SectionAnswerLimits.SectionName))
            .Validate(o => o.MaxBytes > 0, "SectionAnswers:MaxBytes must be positive.").ValidateOnStart();
        builder.Services.AddOptions<SectionDeadlineOptions>().Bind(builder.Configuration.GetSection(SectionDeadlineOptions.SectionName));
        builder.Services.AddHostedService<SectionDeadlineWatchdog>();
        builder.Services.AddOptions<BriefArchiveOptions>()
            .Validate(o => o.Retention is { Used.Ticks: > 0, Default.Ticks: > 0, ErasureTombstones.Ticks: > 0, PurgeInterval.Ticks: > 0, PurgeBatchSize: > 0 },
                "BriefArchive:Retention:Used, :Default, :ErasureTombstones, :PurgeInterval and :PurgeBatchSize must be positive.")
            .ValidateOnStart();
        builder.Services.AddHostedService<ArchiveRetentionPurge>();
        if (archive.Enabled)
            builder.Services.AddHostedService<RetiredArchiveBindings>();
        builder.Services.AddSingleton<AnnounceBriefChangeFilter>();
        builder.Services.AddSingleton<DropErasedBriefFilter>();
        builder.Services.AddHealthChecks().AddRedisReadiness(ServiceDefaultsExtensions.ReadyTag);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddBriefSaga().RedisRepository(storage.ApplyTo);
            if (archive.Enabled)
                bus.AddConsumer<BriefArchiveConsumer, BriefArchiveConsumerDefinition>();
            bus.UsingBriefRabbitMq();
        });
        return builder;
    }

    /// <summary>The brief saga with its activities; the caller chooses the repository.</summary>
    public static ISagaRegistrationConfigurator<BriefState> AddBriefSaga(this IBusRegistrationConfigurator bus)
    {
        bus.TryAddSingleton(TimeProvider.System);
        bus.AddBriefMetrics();
        bus.AddBrokerConfirmDeadline();
        bus.AddSingleton<BriefAnnouncements>();
        bus.AddScoped<StartBriefActivity>();
        bus.AddScoped<StartRegenerationActivity>();
        bus.AddScoped<RecordSectionAnswerActivity>();
        bus.AddScoped<ChargeTokenBudgetsActivity>();
        bus.AddScoped<EnforceSectionDeadlinesActivity>();
        bus.AddScoped<ResendAwaitedJobsActivity>();
        bus.AddScoped<CancelBriefActivity>();
        bus.AddScoped<SubAgentDispatcher>();
        return bus.AddSagaStateMachine<BriefStateMachine, BriefState, BriefStateDefinition>();
    }
}
