using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using BusinessBrief.Agents;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Orchestrator;
using BusinessBrief.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// The whole system on the real broker and Redis: the API (over HTTP), an orchestrator host and an agents host,
/// plus a separate subscriber queue that receives <see cref="BriefReady"/> as a downstream service would.
/// </summary>
public sealed class BriefSystemFixture : IAsyncLifetime
{
    readonly List<WebApplication> workers = [];
    ApiFactory api = null!;
    IBusControl subscriber = null!;

    public string VirtualHost { get; } = TestInfrastructure.UniqueName("e2e");
    public string KeyPrefix { get; } = TestInfrastructure.UniqueName("e2e") + ":brief:";
    public ConcurrentDictionary<(Guid BriefId, int Revision), BriefReady> ReadyEvents { get; } = new();
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>A bus of the test's own on the system's broker, to publish what other services would.</summary>
    public IBus Bus => subscriber;

    public async Task InitializeAsync()
    {
        await TestInfrastructure.CreateVirtualHost(VirtualHost);
        Redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.RedisConnectionString);

        subscriber = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(TestInfrastructure.RabbitMqConnectionString(VirtualHost)));
            cfg.ReceiveEndpoint("test-brief-ready", e => e.Handler<BriefReady>(context =>
            {
                ReadyEvents[(context.Message.BriefId, context.Message.Revision)] = context.Message;
                return Task.CompletedTask;
            }));
        });
        await subscriber.StartAsync();

        workers.Add(await StartWorker(b => b.AddBriefOrchestrator()));
        workers.Add(await StartWorker(b => b.AddSubAgents()));
        api = new ApiFactory(Settings);
        _ = api.Server;
    }

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
    }

    /// <summary>An HTTP client of the API, authenticated as <paramref name="userId"/> with a development token.</summary>
    public HttpClient ClientFor(string userId)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId));
        return client;
    }

    public HttpClient AnonymousClient() => api.CreateClient();

    public string Token(string userId, DateTime? expires = null, string? audience = null, byte[]? key = null)
    {
        var configuration = api.Services.GetRequiredService<IConfiguration>();
        var bearer = configuration.GetSection("Authentication:Schemes:Bearer");
        key ??= Convert.FromBase64String(bearer["SigningKeys:0:Value"]!);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", userId)]),
            Issuer = bearer["ValidIssuer"],
            Audience = audience ?? bearer["ValidAudiences:0"],
            IssuedAt = expires is null ? now : expires.Value.AddMinutes(-10),
            NotBefore = expires is null ? now : expires.Value.AddMinutes(-10),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    public string BriefKey(Guid briefId) => $"{KeyPrefix}{{{briefId}}}";

    public T Service<T>()
        where T : notnull => api.Services.GetRequiredService<T>();

    Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:rabbitmq"] = TestInfrastructure.RabbitMqConnectionString(VirtualHost),
        ["ConnectionStrings:redis"] = TestInfrastructure.RedisConnectionString,
        ["BriefStorage:KeyPrefix"] = KeyPrefix,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:MassTransit"] = "Error",
    };

    async Task<WebApplication> StartWorker(Action<WebApplicationBuilder> addService)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        addService(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    sealed class ApiFactory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // UseSetting, not ConfigureAppConfiguration: Program reads some settings while registering services,
            // before configuration added by the factory would apply.
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }
}

[CollectionDefinition(Name)]
public class BriefSystemCollection : ICollectionFixture<BriefSystemFixture>
{
    public const string Name = "brief system";
}
