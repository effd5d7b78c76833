using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusinessBrief.ServiceDefaults;

public static class RabbitMqBusExtensions
{
    public const string ConnectionName = "rabbitmq";

    /// <summary>
    /// RabbitMQ from <c>ConnectionStrings:rabbitmq</c> (an amqp:// URI), kebab-case endpoint names,
    /// <c>RabbitMq:PrefetchCount</c> for every endpoint, and compact JSON messages.
    /// </summary>
    public static void UsingBriefRabbitMq(this IBusRegistrationConfigurator bus)
    {
        bus.DisableUsageTelemetry();
        bus.SetKebabCaseEndpointNameFormatter();
        bus.UsingRabbitMq((context, cfg) =>
        {
            // Read when the bus is built, not when services are registered, so every configuration source counts.
            var configuration = context.GetRequiredService<IConfiguration>();
            var uri = new Uri(configuration.GetConnectionString(ConnectionName)
                ?? throw new InvalidOperationException($"{RequiredSettings.RabbitMq} is not set."));
            var (user, password) = Credentials(uri);
            var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } path ? path : "/";

            cfg.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost, h =>
            {
                h.Username(user);
                h.Password(password);
            });
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

    /// <summary>The <see cref="BrokerConfirmDeadline"/> of <c>RabbitMq:ConfirmTimeout</c> (15 s unless set).</summary>
    public static IServiceCollection AddBrokerConfirmDeadline(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => new BrokerConfirmDeadline(
            provider.GetService<IConfiguration>()?.GetValue<TimeSpan?>("RabbitMq:ConfirmTimeout") ?? TimeSpan.FromSeconds(15)));
        return services;
    }

    // No implicit guest/guest: each service connects as the user it was given, with only that user's permissions.
    static (string User, string Password) Credentials(Uri uri) =>
        uri.UserInfo.Split(':', 2) is [{ Length: > 0 } user, { Length: > 0 } password]
            ? (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password))
            : throw new InvalidOperationException($"{RequiredSettings.RabbitMq} names no user and password (amqp://user:password@host:5672/vhost).");
}
