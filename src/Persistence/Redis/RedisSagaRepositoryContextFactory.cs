using MassTransit;
using MassTransit.Saga;

namespace BusinessBrief.Persistence.Redis;

public class RedisSagaRepositoryContextFactory<TSaga>(
    RedisSagaStore<TSaga> store,
    ISagaConsumeContextFactory<RedisSagaStore<TSaga>, TSaga> factory)
    : ISagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        next.Send(new RedisSagaRepositoryContext<TSaga, T>(store, context, factory));

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotSupportedException("The Redis saga repository correlates by id only; it does not support queries.");

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new RedisLoadSagaRepositoryContext<TSaga>(store, cancellationToken));

    public void Probe(ProbeContext context) => context.Add("persistence", "redis");
}
