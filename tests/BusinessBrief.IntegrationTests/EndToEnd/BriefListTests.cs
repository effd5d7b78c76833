using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.Security;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Archive;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>Finding one's briefs again, from Redis and the archive: by user, by coaching session, a page at a time.</summary>
[Collection(BriefSystemCollection.Name)]
public class BriefListTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_user_lists_only_their_own_briefs_archived_or_live_and_by_coaching_session()
    {
        var (amina, moussa) = (TestBriefs.UniqueUser("amina"), TestBriefs.UniqueUser("moussa"));
        var aminaClient = system.ClientFor(amina);
        // Archived and gone from Redis: only the archive can answer it.
        var archivedOnly = await aminaClient.Submit();
        Assert.Equal("ready", (await aminaClient.WaitUntilSettled(archivedOnly, Patience)).GetProperty("status").GetString());
        await Eventually.Returns<BriefState?>("the brief archived", () => system.Service<BriefArchive>().FindOwned(archivedOnly, amina),
            brief => brief is not null, Patience);
        await TestBriefs.ForgetInRedis(system, archivedOnly);
        // Accepted, never sent: live in Redis, not archived.
        var live = await TestBriefs.AcceptLive(system, amina, DateTimeOffset.UtcNow, coachingSessionId: 4242);
        var moussaLive = await TestBriefs.AcceptLive(system, moussa, DateTimeOffset.UtcNow, coachingSessionId: 4242);
        var moussaArchived = TestBriefs.Brief(moussa, BriefStatus.Ready, DateTimeOffset.UtcNow, coachingSessionId: 4242);
        await system.Service<BriefArchive>().Store(moussaArchived);

        Assert.Equal([live, archivedOnly], await ListedIds(aminaClient, ""));
        Assert.Equal([live, archivedOnly], await ListedIds(aminaClient, "?coaching_session_id=4242"));
        Assert.Empty(await ListedIds(aminaClient, "?coaching_session_id=42"));
        Assert.Equal(new[] { moussaArchived.CorrelationId, moussaLive }.Order(), (await ListedIds(system.ClientFor(moussa), "?coaching_session_id=4242")).Order());
        Assert.DoesNotContain(archivedOnly, await ListedIds(system.ClientFor(moussa), ""));
    }

    [Fact]
    public async Task Pages_follow_each_other_newest_first_with_every_brief_once_and_the_live_state_winning()
    {
        var user = TestBriefs.UniqueUser("pages");
        var archive = system.Service<BriefArchive>();
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var expected = new List<(Guid Id, DateTimeOffset CreatedAt)>();
        for (var i = 0; i < 4; i++)
        {
            // Two briefs created in the same microsecond, the first page ending between them: the id decides.
            var brief = TestBriefs.Brief(user, BriefStatus.Ready, start.AddMinutes(i == 3 ? 2 : i));
            await archive.Store(brief);
            expected.Add((brief.CorrelationId, brief.CreatedAt));
        }
        for (var i = 0; i < 3; i++)
        {
            var createdAt = start.AddMinutes(10 + i);
            expected.Add((await TestBriefs.AcceptLive(system, user, createdAt), createdAt));
        }
        // In both stores: the archive's ready revision is older than Redis's regeneration.
        var both = expected[^1];
        await archive.Store(TestBriefs.Brief(user, BriefStatus.Ready, both.CreatedAt, id: both.Id));

        var client = system.ClientFor(user);
        var listed = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"{Base}?limit=4{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 4);
            listed.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        var newestFirst = expected.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id.ToString(), StringComparer.Ordinal).Select(b => b.Id);
        Assert.Equal(newestFirst, listed.Select(item => item.GetProperty("brief_id").GetGuid()));
        Assert.Equal("generating", listed[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_brief_deleted_a_moment_ago_is_not_listed_even_before_the_archive_forgot_it()
    {
        var user = TestBriefs.UniqueUser("erased");
        var kept = TestBriefs.Brief(user, BriefStatus.Ready, DateTimeOffset.UtcNow.AddMinutes(-2));
        var erased = TestBriefs.Brief(user, BriefStatus.Ready, DateTimeOffset.UtcNow.AddMinutes(-1));
        await system.Service<BriefArchive>().Store(kept);
        await system.Service<BriefArchive>().Store(erased);
        // What DELETE leaves in Redis before the archive consumer erases the rows.
        await system.Redis.GetDatabase().StringSetAsync($"{system.BriefKey(erased.CorrelationId)}:erased", "1", TimeSpan.FromMinutes(5));

        Assert.Equal([kept.CorrelationId], await ListedIds(system.ClientFor(user), ""));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?coaching_session_id=-4", "coaching_session_id")]
    [InlineData("?coaching_session_id=4242abc", "coaching_session_id")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string field)
    {
        var response = await system.ClientFor(TestBriefs.UniqueUser("bad")).GetAsync($"{Base}{query}");

        await response.AssertInvalidField(field);
    }

    [Fact]
    public async Task Every_bad_parameter_is_named_in_one_answer()
    {
        var response = await system.ClientFor(TestBriefs.UniqueUser("bad")).GetAsync($"{Base}?limit=500&cursor=%21&coaching_session_id=0");

        var errors = (await response.AssertProblem(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["coaching_session_id", "cursor", "limit"], errors.EnumerateObject().Select(e => e.Name).Order());
    }

    async Task<List<Guid>> ListedIds(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"{Base}{query}");
        return page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("brief_id").GetGuid()).ToList();
    }
}

/// <summary>Briefs a test writes straight into the stores, as the saga, the API or the archive consumer would have.</summary>
public static class TestBriefs
{
    public static string UniqueUser(string name) => $"{name}-{Guid.NewGuid():N}";

    public static BriefState Brief(string userId, BriefStatus status, DateTimeOffset createdAt, DateTimeOffset? updatedAt = null,
        int revision = 1, long coachingSessionId = 42, Guid? id = null) => new()
    {
        CorrelationId = id ?? Guid.NewGuid(), Status = status, UserId = userId, Language = "fr", Revision = revision, Version = revision,
        Profile = BriefApiClient.MinimalProfile("Atelier Ndiaye") with { CoachingSessionId = coachingSessionId },
        Sections = SectionNames.All.ToDictionary(s => s, _ => new SectionState { Status = SectionStatus.Failed, Error = "down" }),
        CreatedAt = createdAt, UpdatedAt = updatedAt ?? createdAt,
    };

    /// <summary>A brief the API accepted and recorded, whose command never left: generating, in Redis only.</summary>
    public static async Task<Guid> AcceptLive(BriefSystemFixture system, string userId, DateTimeOffset requestedAt, long coachingSessionId = 42)
    {
        var command = new GenerateBrief
        {
            BriefId = Guid.NewGuid(), UserId = userId, Language = "fr", RequestedAt = requestedAt,
            Profile = BriefApiClient.MinimalProfile("Atelier Ndiaye") with { CoachingSessionId = coachingSessionId },
        };
        Assert.True(await system.Service<BriefStore>().Accept(command));
        return command.BriefId;
    }

    /// <summary>As if Redis expired, evicted or lost every key of the brief, its erasure tombstone included.</summary>
    public static async Task ForgetInRedis(BriefSystemFixture system, Guid briefId)
    {
        foreach (var key in await RedisKeys.Matching(system.Redis, $"{system.KeyPrefix}*{briefId}*"))
            await system.Redis.GetDatabase().KeyDeleteAsync(key);
    }
}
