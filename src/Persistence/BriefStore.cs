using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Persistence;

/// <summary>The read side of briefs: what the API serves, straight from the saga's Redis document.</summary>
public class BriefStore(RedisSagaStore<BriefState> store)
{
    /// <summary>The brief if it exists and belongs to <paramref name="userId"/>; renews its lifetime.</summary>
    public async Task<StoredSaga<BriefState>?> FindOwned(Guid briefId, string userId)
    {
        var stored = await store.ReadAndRenew(briefId);
        return stored is not null && stored.Instance.UserId == userId ? stored : null;
    }
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
