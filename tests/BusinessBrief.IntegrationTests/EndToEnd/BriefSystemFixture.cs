using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using BusinessBrief.Agents;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.Orchestrator;
using BusinessBrief.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// The whole system on the real broker, Redis and PostgreSQL: the API (over HTTP), an orchestrator host and an agents host,
/// plus a separate subscriber queue that receives <see cref="BriefReady"/> as a downstream service would.
/// </summary>
public class BriefSystemFixture : IAsyncLifetime
{
    readonly List<WebApplication> workers = [];
    WebApplication agents = null!;
    ApiFactory api = null!;
    IBusControl subscriber = null!;

    public string VirtualHost { get; } = TestInfrastructure.UniqueName("e2e");
    /// <summary>Every Redis key this system writes starts with it.</summary>
    public string KeyRoot { get; } = TestInfrastructure.UniqueName("e2e") + ":";
    public string KeyPrefix => KeyRoot + "brief:";
    /// <summary>The PostgreSQL schema of this system's archive, dropped with the fixture.</summary>
    public string ArchiveSchema { get; } = TestInfrastructure.UniqueSchema("e2e");
    public ConcurrentDictionary<(Guid BriefId, int Revision), BriefReady> ReadyEvents { get; } = new();
    /// <summary>Every <see cref="BriefReady"/> received, duplicates included.</summary>
    public ConcurrentQueue<BriefReady> ReadyReceived { get; } = new();
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>A bus of the test's own on the system's broker, to publish what other services would.</summary>
    public IBus Bus => subscriber;

    public async Task InitializeAsync()
    {
        await TestInfrastructure.CreateVirtualHost(VirtualHost, DefaultQueueType);
        await TestInfrastructure.CreateServiceUsers(VirtualHost);
        Redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.RedisConnectionString);

        subscriber = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.RabbitMqConnectionString(VirtualHost)));
            cfg.ReceiveEndpoint("test-brief-ready", e => e.Handler<BriefReady>(context =>
            {
                ReadyEvents[(context.Message.BriefId, context.Message.Revision)] = context.Message;
                ReadyReceived.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        });
        await subscriber.StartAsync();

        if (StartsWorkersWithTheApi)
            await StartWorkers();
        api = new ApiFactory(SettingsOf("api"));
        api.UseKestrel(0);
        api.StartServer();
    }

    /// <summary>The orchestrator and the agents, each as its own RabbitMQ user with only its own permissions (deploy/rabbitmq/permissions).</summary>
    public async Task StartWorkers()
    {
        workers.Add(await StartWorker("orchestrator", b => b.AddBriefOrchestrator()));
        agents = await StartWorker("agents", b => b.AddSubAgents());
        workers.Add(agents);
    }

    /// <summary>The virtual host's default queue type (<c>quorum</c>, as in cluster mode), or the broker's (classic) when null.</summary>
    protected virtual string? DefaultQueueType => null;

    /// <summary>False: only the API starts, so that what it sends waits in the queues until a test calls <see cref="StartWorkers"/>.</summary>
    protected virtual bool StartsWorkersWithTheApi => true;

    /// <summary>The nodes (<c>host:port</c>, comma-separated) each service is given.</summary>
    protected virtual string RabbitMqNodes => $"{TestInfrastructure.RabbitMqHost}:5672";

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        foreach (var worker in workers)
        {
            await worker.StopAsync();
            await worker.DisposeAsync();
        }
        await subscriber.StopAsync();
        await Redis.DisposeAsync();
        await TestInfrastructure.DeleteVirtualHost(VirtualHost);
        await TestInfrastructure.DropSchema(ArchiveSchema);
    }

    /// <summary>An HTTP client of the API, authenticated as <paramref name="userId"/> with a development token.</summary>
    public HttpClient ClientFor(string userId)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId));
        return client;
    }

    public HttpClient AnonymousClient() => api.CreateClient();

    /// <summary>A token as <c>./bb token</c> prints it, signed with the key the API under test reads in Development.</summary>
    public string Token(string userId, DateTime? expires = null, string? audience = null, byte[]? key = null) =>
        RepositoryFiles.DevelopmentTokens.Mint(userId, expires, audience, key);

    public string BriefKey(Guid briefId) => $"{KeyPrefix}{{{briefId}}}";

    /// <summary>Changes settings of the running agents host, as an operator reloading its configuration would.</summary>
    public void ReconfigureAgents(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = (IConfigurationRoot)agents.Services.GetRequiredService<IConfiguration>();
        foreach (var (key, value) in settings)
            configuration[key] = value;
        configuration.Reload();
    }

    /// <summary>
    /// Publishes a logo answer as an agent that finished after its brief moved on (cancelled, expired, erased) would;
    /// for a job the saga never sent unless <paramref name="jobId"/> is given.
    /// </summary>
    public Task PublishLateLogoAnswer(Guid briefId, Guid? jobId = null) => Bus.Publish(new SubAgentCompleted
    {
        BriefId = briefId, JobId = jobId ?? NewId.NextGuid(), Section = SectionNames.LogoCreation, Revision = 1,
        Result = JsonSerializer.SerializeToElement(new { confidence = 0.5 }), Confidence = 0.5, Backend = "late",
        CompletedAt = DateTimeOffset.UtcNow,
    });

    public T Service<T>()
        where T : notnull => api.Services.GetRequiredService<T>();

    /// <summary>The configuration <paramref name="service"/> runs with in this fixture.</summary>
    public IConfiguration ConfigurationOf(string service) => new ConfigurationBuilder().AddInMemoryCollection(SettingsOf(service)).Build();

    Dictionary<string, string?> SettingsOf(string service) => new()
    {
        ["ConnectionStrings:rabbitmq"] = TestInfrastructure.RabbitMqConnectionString(VirtualHost, service, RabbitMqNodes),
        ["ConnectionStrings:redis"] = TestInfrastructure.RedisConnectionString,
        ["ConnectionStrings:postgres"] = TestInfrastructure.PostgresConnectionString,
        ["BriefArchive:Schema"] = ArchiveSchema,
        ["BriefStorage:KeyPrefix"] = KeyPrefix,
        ["BriefStorage:UserKeyPrefix"] = KeyRoot,
        // One user submits a hundred briefs at once in the load test: these tests are not about abuse limits.
        ["BriefApi:MaxBriefsInFlight"] = "1000",
        ["BriefApi:RateLimits:Generate:PermitLimit"] = "1000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:MassTransit"] = "Error",
    };

    async Task<WebApplication> StartWorker(string service, Action<WebApplicationBuilder> addService)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(SettingsOf(service));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        addService(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }
}

[CollectionDefinition(Name)]
public class BriefSystemCollection : ICollectionFixture<BriefSystemFixture>
{
    public const string Name = "brief system";
}
