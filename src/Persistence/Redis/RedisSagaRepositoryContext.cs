using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace BusinessBrief.Persistence.Redis;

/// <summary>The saga repository as one consumed message sees it.</summary>
public class RedisSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    readonly RedisSagaStore<TSaga> store;
    readonly ConsumeContext<TMessage> context;
    readonly ISagaConsumeContextFactory<RedisSagaStore<TSaga>, TSaga> factory;

    public RedisSagaRepositoryContext(RedisSagaStore<TSaga> store, ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<RedisSagaStore<TSaga>, TSaga> factory)
        : base(context)
    {
        this.store = store;
        this.context = context;
        this.factory = factory;
    }

    // A new instance is only written by Save, once the behaviour ran: writing here would expose a
    // half-initialised instance to concurrent consumers.
    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(store, context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance) =>
        await Inserted(instance, context.ReceiveContext).ConfigureAwait(false)
            ? await factory.CreateSagaConsumeContext(store, context, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false)
            : null!;

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await store.Load(correlationId).ConfigureAwait(false);
        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(store, context, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    /// <summary>
    /// Insert-if-absent: when a concurrent consumer created the same instance first, the retry policy
    /// re-runs this message against the stored instance.
    /// </summary>
    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        if (!await Inserted(context.Saga, context.ReceiveContext).ConfigureAwait(false))
            throw new ConcurrencyException("The instance was created by a concurrent consumer", typeof(TSaga), context.Saga.CorrelationId);
    }

    public Task Update(SagaConsumeContext<TSaga> context) =>
        UnconfirmedSagaWrite.Noted(context.ReceiveContext, store.Update(context.Saga));

    async Task<bool> Inserted(TSaga instance, ReceiveContext receiveContext)
    {
        var inserting = store.Insert(instance);
        await UnconfirmedSagaWrite.Noted(receiveContext, inserting).ConfigureAwait(false);
        return await inserting.ConfigureAwait(false);
    }

    public Task Delete(SagaConsumeContext<TSaga> context) => store.Delete(context.Saga);

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(store, consumeContext, instance, mode);
}

/// <summary>Loads instances outside of a consumed message (e.g. for the test harness).</summary>
public class RedisLoadSagaRepositoryContext<TSaga>(RedisSagaStore<TSaga> store, CancellationToken cancellationToken)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga> Load(Guid correlationId) => (await store.Load(correlationId).ConfigureAwait(false))!;
}
