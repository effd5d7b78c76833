using System.Linq.Expressions;
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

    /// <summary>
    /// The user an instance belongs to, also stored in the hash's own <c>owner</c> field, so that a reader can check
    /// access (<see cref="RedisSagaStore{TSaga}.ReadOwnedStamp"/>) without loading the documents. None when null.
    /// A property of the instance, so that its JSON name finds the owner of instances stored before that field.
    /// </summary>
    public Expression<Func<TSaga, string>>? Owner { get; set; }

    Func<JsonSerializerOptions, SagaDocument<TSaga>> document = SagaDocument<TSaga>.Whole;

    /// <summary>
    /// Stores each entry of <paramref name="dictionary"/> in a hash field of its own, so that an update sends Redis only
    /// the entries that changed (see <see cref="SagaDocument{TSaga}"/>).
    /// </summary>
    public void StoreEntriesApart<TEntry>(Expression<Func<TSaga, Dictionary<string, TEntry>>> dictionary) =>
        document = options => SagaDocument<TSaga>.WithEntriesApart(options, dictionary);

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
        new(KeyPrefix, TimeToLive, CompressionThreshold, document(SerializerOptions), Owner?.Compile(), OwnerProperty());

    string? OwnerProperty() => Owner switch
    {
        null => null,
        { Body: MemberExpression { Member: var member } } => SerializerOptions.PropertyNamingPolicy?.ConvertName(member.Name) ?? member.Name,
        _ => throw new ArgumentException("Expected a property of the saga, such as brief => brief.UserId", nameof(Owner)),
    };

    internal void Register(ISagaRepositoryRegistrationConfigurator<TSaga> services)
    {
        services.TryAddSingleton(BuildOptions());
        services.TryAddSingleton<ReplicaAcknowledgement>();
        services.TryAddSingleton<RedisSagaStore<TSaga>>();
        services.RegisterSagaRepository<TSaga, RedisSagaStore<TSaga>, SagaConsumeContextFactory<RedisSagaStore<TSaga>, TSaga>,
            RedisSagaRepositoryContextFactory<TSaga>>();
        services.RegisterLoadSagaRepository<TSaga, RedisSagaRepositoryContextFactory<TSaga>>();
    }
}
