using System.Net.Http.Headers;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.OperatorExperience;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// The API alone on Kestrel (so the server's own limits apply, as in production), in its own RabbitMQ virtual host
/// and Redis key root, with no orchestrator: every command it sends stays in <c>brief-state</c>, so a test counts
/// exactly what reached the broker, and every key it writes is under <see cref="KeyRoot"/>.
/// </summary>
public class ApiAloneFixture : IAsyncLifetime
{
    ApiFactory api = null!;

    public string VirtualHost { get; } = TestInfrastructure.UniqueName("sec");
    public string KeyRoot { get; } = TestInfrastructure.UniqueName("sec") + ":";
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>Small enough to reach in a test, large enough for the tests of other things.</summary>
    public const int MaxBriefsInFlight = 3;

    protected virtual IReadOnlyDictionary<string, string?> Limits => new Dictionary<string, string?>
    {
        ["BriefApi:MaxBriefsInFlight"] = $"{MaxBriefsInFlight}",
        ["BriefApi:RateLimits:Generate:PermitLimit"] = "1000",
        ["BriefApi:RateLimits:Regenerate:PermitLimit"] = "1000",
    };

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Limits)
    {
        ["ConnectionStrings:rabbitmq"] = TestInfrastructure.RabbitMqConnectionString(VirtualHost),
        ["ConnectionStrings:redis"] = TestInfrastructure.RedisConnectionString,
        ["ConnectionStrings:postgres"] = TestInfrastructure.PostgresConnectionString,
        ["BriefStorage:KeyPrefix"] = KeyRoot + "brief:",
        ["BriefStorage:UserKeyPrefix"] = KeyRoot,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:MassTransit"] = "Error",
    };

    public async Task InitializeAsync()
    {
        await TestInfrastructure.CreateVirtualHost(VirtualHost);
        Redis = await ConnectionMultiplexer.ConnectAsync(TestInfrastructure.RedisConnectionString);
        api = new ApiFactory(Settings);
        api.UseKestrel(0);
        api.StartServer();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await Redis.DisposeAsync();
        await TestInfrastructure.DeleteVirtualHost(VirtualHost);
    }

    public HttpClient AnonymousClient() => api.CreateClient();

    /// <summary>A client that keeps no cookies: each request carries exactly the cookies the test gives it.</summary>
    public HttpClient ClientWithoutCookies(string? userId = null)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = api.ClientOptions.BaseAddress });
        if (userId is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(userId));
        return client;
    }

    public HttpClient ClientFor(string userId) => ClientWithToken(Token(userId));

    public HttpClient ClientWithToken(string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token as <c>./bb token</c> prints it, signed with the key the API under test reads in Development.</summary>
    public string Token(string? userId, DateTime? expires = null, string? audience = null, byte[]? key = null, string algorithm = "HS256") =>
        RepositoryFiles.DevelopmentTokens.Mint(userId, expires, audience, key, algorithm);

    /// <summary>The API's own services: its endpoints, its stores.</summary>
    public IServiceProvider Services => api.Services;

    /// <summary>The Redis key of a brief's hash.</summary>
    public string BriefKey(Guid briefId) => api.Services.GetRequiredService<RedisSagaRepositoryOptions<BriefState>>().Key(briefId);

    /// <summary>Commands the API sent to the orchestrator's queue so far (nothing consumes them here).</summary>
    public Task<uint> CommandsSent() => TestInfrastructure.MessageCount(VirtualHost, Queues.Briefs);

    /// <summary>
    /// Every Redis key the API wrote under this fixture's root (briefs, accepted requests, idempotency keys, briefs in flight),
    /// but the request counters of the rate limits, which every request writes.
    /// </summary>
    public async Task<IReadOnlyList<string>> Keys()
    {
        var keys = (await RedisKeys.Matching(Redis, KeyRoot + "*")).Select(key => key.ToString())
            .Where(key => !key.StartsWith(KeyRoot + "rate:", StringComparison.Ordinal)).ToList();
        // SCAN returns keys in no particular order: compare what exists, not the order it was listed in.
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>A brief of <paramref name="userId"/>, submitted through the API and finished as the orchestrator would finish it.</summary>
    public async Task<Guid> ReadyBrief(string userId)
    {
        var briefId = await ClientFor(userId).Submit();
        await Finish(userId, briefId);
        return briefId;
    }

    /// <summary>
    /// Stores the accepted brief as ready, with its five sections completed, as the orchestrator would (nothing
    /// runs it here), so that every endpoint, regenerate included, has something to act on.
    /// </summary>
    public async Task Finish(string userId, Guid briefId)
    {
        var brief = (await api.Services.GetRequiredService<BriefStore>().FindOwned(briefId, userId))!.Brief;
        brief.Status = BriefStatus.Ready;
        brief.Sections = SectionNames.All.ToDictionary(name => name, name => new SectionState
        {
            Status = SectionStatus.Completed,
            JobId = Guid.NewGuid(),
            Revision = 1,
            Attempts = 1,
            Confidence = 0.8,
            Result = name == SectionNames.LogoCreation
                ? JsonSerializer.SerializeToElement(new { confidence = 0.8, concepts = new[] { new { svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>" } } })
                : JsonSerializer.SerializeToElement(new { confidence = 0.8 }),
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        Assert.True(await api.Services.GetRequiredService<RedisSagaStore<BriefState>>().Insert(brief));
    }

    /// <summary>Ends the regeneration the API accepted for the brief, as the orchestrator would: its next revision stored as <paramref name="status"/>.</summary>
    public async Task EndRegeneration(Guid briefId, BriefStatus status)
    {
        var sagas = api.Services.GetRequiredService<RedisSagaStore<BriefState>>();
        var brief = (await sagas.Load(briefId))!;
        brief.Revision++;
        brief.Status = status;
        await sagas.Update(brief);
    }
}

/// <summary>The API alone with rate limits small enough to reach in a test, and no cap on briefs in flight in the way.</summary>
public class RateLimitedApiFixture : ApiAloneFixture
{
    public const int GeneratePermits = 3;
    public const int RegeneratePermits = 2;

    protected override IReadOnlyDictionary<string, string?> Limits => new Dictionary<string, string?>
    {
        ["BriefApi:MaxBriefsInFlight"] = "100",
        ["BriefApi:RateLimits:Generate:PermitLimit"] = $"{GeneratePermits}",
        ["BriefApi:RateLimits:Generate:Window"] = "01:00:00",
        ["BriefApi:RateLimits:Regenerate:PermitLimit"] = $"{RegeneratePermits}",
        ["BriefApi:RateLimits:Regenerate:Window"] = "01:00:00",
    };
}

/// <summary>The API alone with read, per-address and event-stream limits small enough to reach in a test.</summary>
public class TightLimitsApiFixture : ApiAloneFixture
{
    public const int ReadPermits = 30;
    public const int PerAddressPermits = 3;
    public const int EventStreamsPerUser = 1;

    protected override IReadOnlyDictionary<string, string?> Limits => new Dictionary<string, string?>
    {
        ["BriefApi:MaxBriefsInFlight"] = "100",
        ["BriefApi:MaxEventStreamsPerUser"] = $"{EventStreamsPerUser}",
        ["BriefApi:RateLimits:Read:PermitLimit"] = $"{ReadPermits}",
        ["BriefApi:RateLimits:Read:Window"] = "01:00:00",
        ["BriefApi:RateLimits:PerAddress:PermitLimit"] = $"{PerAddressPermits}",
        ["BriefApi:RateLimits:PerAddress:Window"] = "01:00:00",
    };
}

[CollectionDefinition(Name)]
public class TightLimitsApiCollection : ICollectionFixture<TightLimitsApiFixture>
{
    public const string Name = "tight-limits api";
}

[CollectionDefinition(Name)]
public class ApiAloneCollection : ICollectionFixture<ApiAloneFixture>
{
    public const string Name = "api alone";
}

[CollectionDefinition(Name)]
public class RateLimitedApiCollection : ICollectionFixture<RateLimitedApiFixture>
{
    public const string Name = "rate-limited api";
}

/// <summary>The API alone with daily token budgets small enough to spend in a test; each test class gets its own key root.</summary>
public class TokenBudgetApiFixture : ApiAloneFixture
{
    public const long PerUserPerDay = 1_000;
    public const long GlobalPerDay = 5_000;

    protected override IReadOnlyDictionary<string, string?> Limits => new Dictionary<string, string?>(base.Limits)
    {
        ["BriefApi:TokenBudgets:PerUserPerDay"] = $"{PerUserPerDay}",
        ["BriefApi:TokenBudgets:GlobalPerDay"] = $"{GlobalPerDay}",
    };
}
