using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// The read side of briefs: what the API serves, straight from the saga's Redis document. Between the API
/// accepting a request and the saga storing the brief, the accepted request stands in for it, so that a client
/// polling right after its 202 sees <c>generating</c>, not 404.
/// </summary>
public class BriefStore(RedisSagaStore<BriefState> sagas, IConnectionMultiplexer redis, RedisSagaRepositoryOptions<BriefState> layout,
    IOptions<BriefStorageOptions> options)
{
    /// <summary>Records an accepted request; call before the command leaves, so a poll can never miss it.</summary>
    public Task Accept(GenerateBrief request) =>
        redis.GetDatabase().StringSetAsync(AcceptedKey(request.BriefId), JsonSerializer.SerializeToUtf8Bytes(request, SagaJson.Options),
            options.Value.TimeToLive);

    /// <summary>Forgets a request whose command could not be sent.</summary>
    public Task Forget(Guid briefId) => redis.GetDatabase().KeyDeleteAsync(AcceptedKey(briefId));

    /// <summary>The brief if it exists and belongs to <paramref name="userId"/>; renews its lifetime.</summary>
    public async Task<StoredSaga<BriefState>?> FindOwned(Guid briefId, string userId)
    {
        var stored = await sagas.ReadAndRenew(briefId) ?? await FindAccepted(briefId);
        return stored is not null && stored.Instance.UserId == userId ? stored : null;
    }

    async Task<StoredSaga<BriefState>?> FindAccepted(Guid briefId)
    {
        var accepted = await redis.GetDatabase().StringGetWithExpiryAsync(AcceptedKey(briefId));
        if (accepted.Value.IsNull)
            return null;

        var request = JsonSerializer.Deserialize<GenerateBrief>((byte[])accepted.Value!, SagaJson.Options)!;
        var brief = new BriefState
        {
            CorrelationId = request.BriefId,
            CurrentState = "Generating",
            UserId = request.UserId,
            Profile = request.Profile,
            Language = request.Language,
            Revision = 1,
            CreatedAt = request.RequestedAt,
            UpdatedAt = request.RequestedAt,
        };
        return new StoredSaga<BriefState>(brief, accepted.Expiry ?? options.Value.TimeToLive);
    }

    // Same hash tag as the brief's own key: both live on one cluster slot.
    string AcceptedKey(Guid briefId) => layout.Key(briefId) + ":accepted";
}

public static class BriefStoreServiceCollectionExtensions
{
    /// <summary>Redis connection, storage options and <see cref="BriefStore"/>, for processes that read briefs.</summary>
    public static IServiceCollection AddBriefStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRedisConnection(configuration);
        services.AddOptions<BriefStorageOptions>().Bind(configuration.GetSection(BriefStorageOptions.SectionName));
        services.AddSingleton(sp =>
        {
            var repository = new RedisSagaRepositoryConfigurator<BriefState>();
            sp.GetRequiredService<IOptions<BriefStorageOptions>>().Value.ApplyTo(repository);
            return repository.BuildOptions();
        });
        services.AddSingleton<RedisSagaStore<BriefState>>();
        services.AddSingleton<BriefStore>();
        return services;
    }
}
