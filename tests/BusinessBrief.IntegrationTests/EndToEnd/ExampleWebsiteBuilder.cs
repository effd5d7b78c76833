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
            WebsiteId = $"dc360-{brief.BriefId:N}",
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }
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
