using System.Net.Sockets;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Orchestrator;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>
/// The brief saga on its Redis repository, on MassTransit's in-memory transport. Unlike the in-memory repository, whose
/// instances a failed attempt leaves changed, a retry here re-reads the brief as Redis stored it, as in production.
/// </summary>
public sealed class BriefSagaOnRedisTests : IAsyncLifetime
{
    readonly FlakyDeadlineIndex deadlines = new();
    readonly ServiceProvider provider;

    public BriefSagaOnRedisTests()
    {
        var storage = new BriefStorageOptions { KeyPrefix = TestInfrastructure.UniqueName("saga") + ":" };
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(TestInfrastructure.RedisConnectionString));
        services.AddSingleton<ISectionDeadlineIndex>(deadlines);
        services.AddSingleton(Options.Create(new BriefStorageOptions { UserKeyPrefix = storage.KeyPrefix }));
        services.AddSingleton<TokenBudgets>();
        services.AddSingleton<ITokenCharges>(sp => sp.GetRequiredService<TokenBudgets>());
        services.AddMassTransitTestHarness(bus => bus.AddBriefSaga().RedisRepository(storage.ApplyTo));
        provider = services.BuildServiceProvider(true);
    }

    ITestHarness Harness => provider.GetRequiredService<ITestHarness>();

    public Task InitializeAsync() => Harness.Start();

    public async Task DisposeAsync() => await provider.DisposeAsync();

    [Fact]
    public async Task An_answer_delivered_twice_is_charged_once_to_its_user_and_a_failed_one_is_charged_too()
    {
        var briefId = NewId.NextGuid();
        var userId = $"charged-{Guid.NewGuid():N}";
        await Harness.Bus.Publish(new GenerateBrief
        {
            BriefId = briefId,
            UserId = userId,
            Profile = BriefApiClient.MinimalProfile("Boulangerie Téranga"),
            Language = "fr",
            RequestedAt = DateTimeOffset.UtcNow,
        });
        var jobs = await JobsSent(briefId, 2);
        var usage = new SectionUsage { Backend = "llm", Model = "fake-model", Attempts = 1, DurationMs = 5, PromptTokens = 300, CompletionTokens = 200 };
        var completed = new SubAgentCompleted
        {
            BriefId = briefId, JobId = jobs[0].JobId, Section = jobs[0].Section, Revision = 1,
            Result = JsonSerializer.SerializeToElement(new { section = jobs[0].Section }), Confidence = 0.8, Backend = "llm",
            CompletedAt = DateTimeOffset.UtcNow, Usage = usage,
        };

        await Harness.Bus.Publish(completed);
        await Harness.Bus.Publish(completed);
        await Harness.Bus.Publish(new SubAgentFailed
        {
            BriefId = briefId, JobId = jobs[1].JobId, Section = jobs[1].Section, Revision = 1, Reason = "rejected",
            FailedAt = DateTimeOffset.UtcNow, Usage = usage,
        });
        await Eventually.Returns("the three answers consumed", () =>
            Harness.Consumed.Select<SubAgentCompleted>(x => x.Context.Message.BriefId == briefId).Count()
            + Harness.Consumed.Select<SubAgentFailed>(x => x.Context.Message.BriefId == briefId).Count(), answers => answers == 3);

        var budgets = provider.GetRequiredService<TokenBudgets>();
        Assert.Equal(TokenBudget.User, (await budgets.Spent(userId, perUserPerDay: 1000, globalPerDay: 0))?.Budget);
        Assert.Null(await budgets.Spent(userId, perUserPerDay: 1001, globalPerDay: 0));
    }

    [Fact]
    public async Task A_Redis_failure_while_an_answer_is_recorded_is_retried_and_the_brief_is_still_announced_ready()
    {
        var briefId = NewId.NextGuid();
        await Harness.Bus.Publish(new GenerateBrief
        {
            BriefId = briefId,
            UserId = "awa",
            Profile = BriefApiClient.MinimalProfile("Boulangerie Téranga"),
            Language = "fr",
            RequestedAt = DateTimeOffset.UtcNow,
        });
        await JobsSent(briefId, 2);
        // The deadline index is written while the next answer is recorded, inside the state machine: MassTransit wraps
        // that failure in an EventExecutionException, which the saga's Redis retry must still recognise.
        deadlines.FailNext();

        for (var answered = 0; answered < SectionNames.All.Count; answered++)
        {
            var job = (await JobsSent(briefId, answered + 1))[answered];
            await Harness.Bus.Publish(new SubAgentCompleted
            {
                BriefId = briefId,
                JobId = job.JobId,
                Section = job.Section,
                Revision = job.Revision,
                Result = JsonSerializer.SerializeToElement(new { section = job.Section }),
                Confidence = 0.8,
                Backend = "test",
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }

        var store = provider.GetRequiredService<RedisSagaStore<BriefState>>();
        await Eventually.Returns("the brief stored as ready", async () => await store.Load(briefId) is { } brief ? brief.Status : (BriefStatus?)null,
            status => status == BriefStatus.Ready);
        Assert.True(deadlines.Failed);
        Assert.True(await Harness.Published.Any<BriefReady>(x => x.Context.Message.BriefId == briefId));
        Assert.False(await Harness.Published.Any<Fault<SubAgentCompleted>>());
    }

    Task<List<RunSubAgent>> JobsSent(Guid briefId, int atLeast) =>
        Eventually.Returns($"{atLeast} jobs sent for the brief", () => Harness.Sent.Select<RunSubAgent>(x => x.Context.Message.BriefId == briefId)
            .Select(x => x.Context.Message).DistinctBy(j => j.JobId).ToList(), jobs => jobs.Count >= atLeast);

    /// <summary>The deadline index, failing once on demand as it does while Redis restarts.</summary>
    sealed class FlakyDeadlineIndex : ISectionDeadlineIndex
    {
        int failures;

        public bool Failed { get; private set; }

        public void FailNext() => failures = 1;

        public Task Watch(Guid briefId, DateTimeOffset dueAt)
        {
            if (Interlocked.Exchange(ref failures, 0) == 1)
            {
                Failed = true;
                // As StackExchange.Redis reports a restart: MassTransit's retry matches an exception's innermost cause, here the socket's.
                throw new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, "SocketFailure on 127.0.0.1:6379",
                    new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset)),
                    CommandStatus.Sent);
            }
            return Task.CompletedTask;
        }

        public Task Forget(Guid briefId, DateTimeOffset dueAt) => Task.CompletedTask;

        public Task<IReadOnlyList<ClaimedDeadline>> ClaimDue(DateTimeOffset now, int max) => Task.FromResult<IReadOnlyList<ClaimedDeadline>>([]);
    }
}
