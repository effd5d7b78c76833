using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using Microsoft.Extensions.Options;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>The orchestrators' shared deadline index against a real redis-server.</summary>
public class SectionDeadlineIndexTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    readonly RedisSectionDeadlineIndex index = new(fixture.Redis, Options.Create(new BriefStorageOptions
    {
        KeyPrefix = TestInfrastructure.UniqueName("deadlines") + ":",
        DeadlineClaimLease = Lease,
    }));

    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_brief_forgotten_at_its_due_time_is_never_claimed()
    {
        var ended = Guid.NewGuid();
        var running = Guid.NewGuid();
        await index.Watch(ended, Now.AddMinutes(5));
        await index.Watch(running, Now.AddMinutes(5));

        await index.Forget(ended, Now.AddMinutes(5));

        Assert.Equal([running], await Claim(Now.AddMinutes(6)));
    }

    [Fact]
    public async Task Forgetting_an_older_due_time_keeps_the_later_one_a_new_revision_set()
    {
        var briefId = Guid.NewGuid();
        await index.Watch(briefId, Now.AddMinutes(5));
        // Another orchestrator started a regeneration meanwhile and moved the brief's deadline.
        await index.Watch(briefId, Now.AddMinutes(7));

        await index.Forget(briefId, Now.AddMinutes(5));

        Assert.Empty(await Claim(Now.AddMinutes(6)));
        Assert.Equal([briefId], await Claim(Now.AddMinutes(8)));
    }

    [Fact]
    public async Task A_claim_whose_orchestrator_died_before_sending_the_check_is_claimed_again_once_its_lease_ends()
    {
        var briefId = Guid.NewGuid();
        await index.Watch(briefId, Now);

        Assert.Equal([briefId], await Claim(Now));
        // The orchestrator that claimed it is killed here: no check is sent, nothing forgets the claim.

        Assert.Empty(await Claim(Now + Lease / 2));
        Assert.Equal([briefId], await Claim(Now + Lease + TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task A_claim_whose_check_was_sent_is_not_claimed_again_but_a_due_time_set_meanwhile_stays()
    {
        var checkedBrief = Guid.NewGuid();
        var movedBrief = Guid.NewGuid();
        await index.Watch(checkedBrief, Now);
        await index.Watch(movedBrief, Now);
        var claims = await index.ClaimDue(Now, max: 10);
        // The saga answered the check of one brief with a new due time before the watchdog ended its claim.
        await index.Watch(movedBrief, Now.AddMinutes(5));

        foreach (var claim in claims)
            await index.Forget(claim.BriefId, claim.LeasedUntil);

        Assert.Equal([movedBrief], await Claim(Now.AddMinutes(10)));
    }

    [Fact]
    public async Task Briefs_spread_over_the_shards_are_all_claimed_and_never_twice()
    {
        var briefIds = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        foreach (var briefId in briefIds)
            await index.Watch(briefId, Now);

        var first = await Claim(Now, max: 25);
        var second = await Claim(Now, max: 25);

        Assert.Equal(25, first.Count);
        Assert.Equal(briefIds.Order(), first.Concat(second).Order());
    }

    async Task<IReadOnlyList<Guid>> Claim(DateTimeOffset now, int max = 10) =>
        (await index.ClaimDue(now, max)).Select(claim => claim.BriefId).ToList();
}
