using MassTransit;

namespace BusinessBrief.Persistence.Redis;

public static class RedisSagaRepositoryRegistrationExtensions
{
    /// <summary>Stores the saga's instances in Redis, with optimistic concurrency on <see cref="ISagaVersion"/>.</summary>
    public static ISagaRegistrationConfigurator<T> RedisRepository<T>(this ISagaRegistrationConfigurator<T> configurator,
        Action<RedisSagaRepositoryConfigurator<T>>? configure = null)
        where T : class, ISagaVersion
    {
        var repository = new RedisSagaRepositoryConfigurator<T>();
        configure?.Invoke(repository);

        var errors = repository.Validate().ToList();
        if (errors.Count > 0)
            throw new ConfigurationException($"The Redis saga repository configuration is invalid: {string.Join(" ", errors)}");

        configurator.Repository(repository.Register);
        return configurator;
    }
}
