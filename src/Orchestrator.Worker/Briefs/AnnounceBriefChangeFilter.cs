using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Orchestrator.Briefs;

/// <summary>
/// Tells the API's live progress streams that a brief changed, once its new state is stored (not before: a stream
/// woken early would read the old state and wait). Fire-and-forget: the streams also re-read on their own.
/// </summary>
public class AnnounceBriefChangeFilter(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> storage,
    ILogger<AnnounceBriefChangeFilter> logger) : IFilter<SagaConsumeContext<BriefState>>
{
    public async Task Send(SagaConsumeContext<BriefState> context, IPipe<SagaConsumeContext<BriefState>> next)
    {
        await next.Send(context);
        var briefId = context.Saga.CorrelationId;
        context.WhenStored(() =>
        {
            try
            {
                redis.GetSubscriber().Publish(BriefChanges.Channel(storage.Value.KeyPrefix, briefId), "changed", CommandFlags.FireAndForget);
            }
            catch (RedisException ex)
            {
                logger.LogWarning(ex, "Could not announce the change of brief {BriefId}; its progress streams catch up on their own", briefId);
            }
        });
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("announce-brief-change");
}
