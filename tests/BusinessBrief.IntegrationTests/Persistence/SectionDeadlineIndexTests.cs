using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using Microsoft.Extensions.Options;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>The orchestrators' shared deadline index against a real redis-server.</summary>
public class SectionDeadlineIndexTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    readonly RedisSectionDeadlineIndex index = new(fixture.Redis,
        Options.Create(new BriefStorageOptions { KeyPrefix = TestInfrastructure.UniqueName("deadlines") + ":" }));

    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_brief_forgotten_at_its_due_time_is_never_claimed()
    {
        var ended = Guid.NewGuid();
        var running = Guid.NewGuid();
        await index.Watch(ended, Now.AddMinutes(5));
        await index.Watch(running, Now.AddMinutes(5));

        await index.Forget(ended, Now.AddMinutes(5));

        Assert.Equal([running], await index.ClaimDue(Now.AddMinutes(6), max: 10));
    }

    [Fact]
    public async Task Forgetting_an_older_due_time_keeps_the_later_one_a_new_revision_set()
    {
        var briefId = Guid.NewGuid();
        await index.Watch(briefId, Now.AddMinutes(5));
        // Another orchestrator started a regeneration meanwhile and moved the brief's deadline.
        await index.Watch(briefId, Now.AddMinutes(7));

        await index.Forget(briefId, Now.AddMinutes(5));

        Assert.Empty(await index.ClaimDue(Now.AddMinutes(6), max: 10));
        Assert.Equal([briefId], await index.ClaimDue(Now.AddMinutes(8), max: 10));
    }
}
