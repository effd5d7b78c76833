using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusinessBrief.ServiceDefaults;

public static class RabbitMqBusExtensions
{
    public const string ConnectionName = "rabbitmq";

    /// <summary>
    /// RabbitMQ from <c>ConnectionStrings:rabbitmq</c> (one node or the nodes of a cluster, see <see cref="RabbitMqAddress"/>),
    /// kebab-case endpoint names, <c>RabbitMq:PrefetchCount</c> for every endpoint, and compact JSON messages.
    /// </summary>
    public static void UsingBriefRabbitMq(this IBusRegistrationConfigurator bus)
    {
        bus.DisableUsageTelemetry();
        bus.SetKebabCaseEndpointNameFormatter();
        bus.UsingRabbitMq((context, cfg) =>
        {
            // Read when the bus is built, not when services are registered, so every configuration source counts.
            var configuration = context.GetRequiredService<IConfiguration>();
            cfg.Host(RabbitMqAddress.Parse(configuration.GetConnectionString(ConnectionName)
                ?? throw new InvalidOperationException($"{RequiredSettings.RabbitMq} is not set.")));
            cfg.PrefetchCount = configuration.GetValue("RabbitMq:PrefetchCount", 64);
            // MassTransit 8 writes indented JSON by default: a quarter of a sub-agent's answer was whitespace that
            // every process wrote, the broker stored and the next process parsed (docs/benchmarks.md).
            cfg.ConfigureJsonSerializerOptions(options =>
            {
                options.WriteIndented = false;
                return options;
            });
            cfg.ConfigureEndpoints(context);
        });
    }

    /// <summary>The broker at <paramref name="address"/>: its user, virtual host, and every node of a cluster.</summary>
    public static void Host(this IRabbitMqBusFactoryConfigurator cfg, RabbitMqAddress address)
    {
        var first = address.Nodes[0];
        cfg.Host(first.Host, (ushort)first.Port, address.VirtualHost, h =>
        {
            h.Username(address.User);
            h.Password(address.Password);
            // Each connection attempt takes the next node in turn: losing a node costs a reconnect, not the process.
            if (address.Nodes.Count > 1)
                h.UseCluster(cluster =>
                {
                    foreach (var node in address.Nodes)
                        cluster.Node(node.ToString());
                });
        });
    }

    /// <summary>The <see cref="BrokerConfirmDeadline"/> of <c>RabbitMq:ConfirmTimeout</c> (15 s unless set).</summary>
    public static IServiceCollection AddBrokerConfirmDeadline(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new BrokerConfirmDeadline(
            provider.GetService<IConfiguration>()?.GetValue<TimeSpan?>("RabbitMq:ConfirmTimeout") ?? TimeSpan.FromSeconds(15)));
        return services;
    }
}
