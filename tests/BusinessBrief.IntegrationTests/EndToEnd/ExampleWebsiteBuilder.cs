using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using MassTransit;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// What a downstream website builder looks like: it subscribes to <see cref="BriefReady"/> (the brief is in the
/// message, no call back to the API) and, once the site exists, publishes <see cref="WebsiteCreated"/>.
/// </summary>
public class WebsiteBuilderConsumer : IConsumer<BriefReady>
{
    public async Task Consume(ConsumeContext<BriefReady> context)
    {
        var brief = context.Message;
        // ... build the site from brief.Sections["content_generation"], ["logo_creation"], ["template_selection"] ...
        await context.Publish(new WebsiteCreated
        {
            BriefId = brief.BriefId,
            WebsiteId = WebsiteIdFor(brief.BriefId),
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>The number DigitalCloud360 gives the brief's site: derived from the brief, so a test can tell it is this brief's.</summary>
    public static long WebsiteIdFor(Guid briefId) => (long)(BitConverter.ToUInt64(briefId.ToByteArray()) % 1_000_000_000) + 1;
}

/// <summary>Runs <see cref="WebsiteBuilderConsumer"/> on a temporary queue for the length of a test.</summary>
public sealed class ExampleWebsiteBuilder(IBusControl bus) : IAsyncDisposable
{
    public static async Task<ExampleWebsiteBuilder> Start(string virtualHost)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.RabbitMqConnectionString(virtualHost)));
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.Consumer<WebsiteBuilderConsumer>());
        });
        await bus.StartAsync();
        return new ExampleWebsiteBuilder(bus);
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
