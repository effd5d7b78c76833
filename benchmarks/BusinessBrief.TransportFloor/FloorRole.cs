using BusinessBrief.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BusinessBrief.TransportFloor;

/// <summary>
/// One side of the floor in a process of its own, so that its CPU time can be read apart: the services' defaults
/// (telemetry, logging), their RabbitMQ bus settings, and the floor's handlers instead of the real ones.
/// </summary>
public static class FloorRole
{
    public const string Orchestrator = "orchestrator";
    public const string Agents = "agents";
    public const string Ready = "ready";
    public const string SmallSections = "small";
    public const string FullSections = "full";

    public static async Task<int> Run(string role, string rabbitMq, bool small)
    {
        // Rooted where the binaries are, as ./bb starts the services: from the repository's root, the configuration's
        // file watcher would see every write of RabbitMQ and Redis under .data/ (a quarter of a traced role's CPU).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [RequiredSettings.RabbitMq] = rabbitMq,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults();
        builder.Services.AddBrokerConfirmDeadline();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        if (role == Agents)
            builder.Services.AddSingleton(small ? SampleSections.Small() : await SampleSections.Write());
        builder.Services.AddMassTransit(bus =>
        {
            if (role == Orchestrator)
            {
                bus.AddConsumer<FloorOrchestrator, FloorOrchestratorDefinition>();
                bus.AddConsumer<FloorArchive, FloorArchiveDefinition>();
            }
            else if (role == Agents)
                bus.AddFloorAgents();
            else
                throw new ArgumentException($"unknown role {role}: {Orchestrator} or {Agents}", nameof(role));
            bus.UsingBriefRabbitMq();
        });

        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine(Ready);
        await host.WaitForShutdownAsync();
        return 0;
    }
}
