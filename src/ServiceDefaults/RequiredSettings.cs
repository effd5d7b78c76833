using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace BusinessBrief.ServiceDefaults;

/// <summary>
/// Secrets and addresses a process has no safe default for: the shipped <c>appsettings.json</c> holds none, so a
/// deployment that forgot one stops at start-up, naming it, instead of falling back to guest/guest or an open Redis.
/// </summary>
public static class RequiredSettings
{
    public const string RabbitMq = "ConnectionStrings:" + RabbitMqBusExtensions.ConnectionName;
    public const string Redis = "ConnectionStrings:redis";
    public const string Postgres = "ConnectionStrings:postgres";

    public static IHostApplicationBuilder RequireSettings(this IHostApplicationBuilder builder, params string[] keys)
    {
        var missing = keys.Where(key => string.IsNullOrWhiteSpace(builder.Configuration[key])).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"Required setting {string.Join(", ", missing)} is not set (environment variable " +
                $"{string.Join(", ", missing.Select(key => key.Replace(":", "__", StringComparison.Ordinal)))}); " +
                $"{builder.Environment.ApplicationName} does not start without it.");
        return builder;
    }
}
