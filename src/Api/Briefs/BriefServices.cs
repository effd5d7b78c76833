using BusinessBrief.ServiceDefaults;
using BusinessBrief.Api.Problems;
using BusinessBrief.Contracts;
using BusinessBrief.Persistence;
using FluentValidation;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Api.Briefs;

/// <summary>What the brief endpoints need (as eShop's <c>OrderServices</c>), resolved from DI per request.</summary>
public class BriefServices(
    BriefStore store,
    ISendEndpointProvider sendEndpoints,
    IPublishEndpoint publishEndpoint,
    IdempotencyKeys idempotencyKeys,
    BriefsInFlight inFlight,
    RedisMemory storageMemory,
    ProblemMessages messages,
    IValidator<GenerateBriefRequest> generateValidator,
    IValidator<RegenerateSectionsRequest> regenerateValidator,
    IOptions<BriefApiOptions> options,
    TimeProvider clock,
    ILogger<BriefServices> logger)
{
    public BriefStore Store { get; } = store;
    public IdempotencyKeys IdempotencyKeys { get; } = idempotencyKeys;
    public BriefsInFlight InFlight { get; } = inFlight;
    public RedisMemory StorageMemory { get; } = storageMemory;
    public ProblemMessages Messages { get; } = messages;
    public IValidator<GenerateBriefRequest> GenerateValidator { get; } = generateValidator;
    public IValidator<RegenerateSectionsRequest> RegenerateValidator { get; } = regenerateValidator;
    public TimeProvider Clock { get; } = clock;
    public ILogger<BriefServices> Logger { get; } = logger;
    public int MaxBriefsInFlight => options.Value.MaxBriefsInFlight;

    /// <summary>
    /// Sends a command to the orchestrator and returns once the broker confirmed it (publisher confirms),
    /// or throws when the broker does not confirm in time.
    /// </summary>
    public async Task Send<T>(T command)
        where T : class
    {
        using var timeout = new CancellationTokenSource(options.Value.BrokerConfirmTimeout);
        var endpoint = await sendEndpoints.GetSendEndpoint(Queues.Address(Queues.Briefs));
        await endpoint.Send(command, timeout.Token);
    }

    /// <summary>Publishes an event and returns once the broker confirmed it, or throws when it does not confirm in time.</summary>
    public async Task Publish<T>(T message)
        where T : class
    {
        using var timeout = new CancellationTokenSource(options.Value.BrokerConfirmTimeout);
        await publishEndpoint.Publish(message, timeout.Token);
    }
}
