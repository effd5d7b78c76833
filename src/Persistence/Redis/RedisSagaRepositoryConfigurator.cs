using System.Text.Json;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BusinessBrief.Persistence.Redis;

/// <summary>
/// Settings of the Redis saga repository. The connection is the application's one
/// <see cref="StackExchange.Redis.IConnectionMultiplexer"/> (see <see cref="RedisServiceCollectionExtensions"/>).
/// </summary>
public class RedisSagaRepositoryConfigurator<TSaga>
    where TSaga : class, ISagaVersion
{
    public string KeyPrefix { get; set; } = "saga:";

    /// <summary>Sliding lifetime, chosen per instance at every write.</summary>
    public Func<TSaga, TimeSpan> TimeToLive { get; set; } = _ => RedisSagaRepositoryOptions<TSaga>.DefaultTimeToLive;

    public int CompressionThreshold { get; set; } = RedisSagaRepositoryOptions<TSaga>.DefaultCompressionThreshold;

    public JsonSerializerOptions SerializerOptions { get; set; } = SagaJson.Options;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
            yield return "KeyPrefix must not be empty: saga keys would mix with other keys.";
        if (KeyPrefix.Contains('{') || KeyPrefix.Contains('}'))
            yield return "KeyPrefix must not contain braces: the instance id is the key's cluster hash tag.";
        if (CompressionThreshold <= 0)
            yield return "CompressionThreshold must be positive.";
    }

    public RedisSagaRepositoryOptions<TSaga> BuildOptions() =>
        new(KeyPrefix, TimeToLive, CompressionThreshold, SerializerOptions);

    internal void Register(ISagaRepositoryRegistrationConfigurator<TSaga> services)
    {
        services.TryAddSingleton(BuildOptions());
        services.TryAddSingleton<RedisSagaStore<TSaga>>();
        services.RegisterSagaRepository<TSaga, RedisSagaStore<TSaga>, SagaConsumeContextFactory<RedisSagaStore<TSaga>, TSaga>,
            RedisSagaRepositoryContextFactory<TSaga>>();
        services.RegisterLoadSagaRepository<TSaga, RedisSagaRepositoryContextFactory<TSaga>>();
    }
}
