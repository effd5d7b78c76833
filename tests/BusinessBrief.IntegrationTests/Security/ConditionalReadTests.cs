using System.Net;
using System.Net.Http.Json;
using BusinessBrief.Api.Briefs;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>
/// <c>ETag</c>/<c>If-None-Match</c> and <c>Prefer: wait</c> on the API alone: nothing runs the briefs here, so each state a test
/// sets stays put (accepted but not stored, stored ready, regeneration accepted) and a held read meets no change.
/// </summary>
[Collection(ApiAloneCollection.Name)]
public class ConditionalReadTests(ApiAloneFixture api)
{
    const string Base = BriefApiClient.BasePath;
    static readonly int MaxLongPolls = new BriefApiOptions().MaxLongPollsPerUser;

    [Fact]
    public async Task Accepting_storing_and_accepting_a_regeneration_each_give_the_brief_a_new_tag()
    {
        var userId = $"owner-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var briefId = await client.Submit();
        var accepted = (await client.GetAsync($"{Base}/{briefId}")).ETag();

        await api.Finish(userId, briefId);
        var stored = (await client.GetAsync($"{Base}/{briefId}")).ETag();
        var regenerate = await client.PostAsJsonAsync($"{Base}/{briefId}/regenerate", new { sections = new[] { "logo_creation" } });
        Assert.Equal(HttpStatusCode.Accepted, regenerate.StatusCode);
        var regenerating = await client.GetAsync($"{Base}/{briefId}");

        Assert.Equal(3, new[] { accepted, stored, regenerating.ETag() }.Distinct().Count());
        Assert.Contains("\"status\":\"regenerating\"", await regenerating.Content.ReadAsStringAsync());
        // The tag the client holds from before the regeneration no longer matches: it gets the regenerating brief.
        Assert.Equal(HttpStatusCode.OK, (await client.GetIfChanged($"{Base}/{briefId}", stored)).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/results")]
    public async Task A_matching_If_None_Match_gets_304_without_a_body_and_another_tag_gets_the_brief(string endpoint)
    {
        var userId = $"owner-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var path = $"{Base}/{await api.ReadyBrief(userId)}{endpoint}";
        var full = await client.GetAsync(path);
        var tag = full.ETag();

        foreach (var ifNoneMatch in new[] { tag, $"W/{tag}", $"\"other\", {tag}", "*" })
        {
            var notModified = await client.GetIfChanged(path, ifNoneMatch);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(tag, notModified.ETag());
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
            Assert.True(notModified.Headers.CacheControl is { Private: true, NoCache: true }, $"{notModified.Headers.CacheControl}");
        }
        Assert.True(full.Headers.CacheControl is { Private: true, NoCache: true }, $"{full.Headers.CacheControl}");
        Assert.False(full.Headers.ETag!.IsWeak);
        var changed = await client.GetIfChanged(path, "\"0\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(tag, changed.ETag());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("", 2)]
    [InlineData("/results", null)]
    public async Task Another_user_sending_the_owners_tag_still_gets_404(string endpoint, int? waitSeconds)
    {
        var ownerId = $"owner-{Guid.NewGuid():N}";
        var path = $"{Base}/{await api.ReadyBrief(ownerId)}{endpoint}";
        var tag = (await api.ClientFor(ownerId).GetAsync(path)).ETag();
        var other = api.ClientFor($"other-{Guid.NewGuid():N}");

        foreach (var ifNoneMatch in new[] { tag, "*" })
        {
            var response = await other.GetIfChanged(path, ifNoneMatch, waitSeconds);
            await response.AssertProblem(HttpStatusCode.NotFound);
            Assert.Null(response.Headers.ETag);
        }
    }

    /// <summary>A ready brief of a new user (idle: nothing runs it here), that user's client, its path and current tag.</summary>
    async Task<(HttpClient Client, string Path, string Tag)> ReadyBriefWithItsTag()
    {
        var userId = $"owner-{Guid.NewGuid():N}";
        var client = api.ClientFor(userId);
        var path = $"{Base}/{await api.ReadyBrief(userId)}";
        return (client, path, (await client.GetAsync(path)).ETag());
    }

    [Fact]
    public async Task A_long_poll_on_an_idle_brief_answers_304_once_the_wait_is_over()
    {
        var (client, path, tag) = await ReadyBriefWithItsTag();

        var started = DateTime.UtcNow;
        var response = await client.GetIfChanged(path, tag, waitSeconds: 2);
        var held = DateTime.UtcNow - started;

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(tag, response.ETag());
        Assert.Equal("wait=2", response.PreferenceApplied());
        Assert.InRange(held.TotalSeconds, 1.9, 10);
    }

    [Fact]
    public async Task A_user_holding_the_most_long_polls_gets_429_for_one_more_until_they_end()
    {
        var (client, path, tag) = await ReadyBriefWithItsTag();

        // One more than the cap at once, each held long enough for all of them to arrive even on a loaded machine.
        var answers = await Task.WhenAll(Enumerable.Range(0, MaxLongPolls + 1).Select(_ => client.GetIfChanged(path, tag, waitSeconds: 6)));

        Assert.Equal(MaxLongPolls, answers.Count(answer => answer.StatusCode == HttpStatusCode.NotModified));
        var refused = Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Contains($"{MaxLongPolls}", problem.GetProperty("detail").GetString());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        // Once they were answered, the user may wait again.
        Assert.Equal("wait=1", (await client.GetIfChanged(path, tag, waitSeconds: 1)).PreferenceApplied());
    }

    [Fact]
    public async Task A_client_that_gives_up_a_long_poll_frees_its_place()
    {
        var (client, path, tag) = await ReadyBriefWithItsTag();
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            var abandoned = Enumerable.Range(0, MaxLongPolls).Select(_ => client.GetIfChanged(path, tag, waitSeconds: 30, giveUp.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(abandoned));
        }

        // The server notices the closed connections at once; a moment is allowed for it on a loaded machine.
        var again = await Eventually.Returns("a long poll held again", () => client.GetIfChanged(path, tag, waitSeconds: 1),
            answer => answer.StatusCode == HttpStatusCode.NotModified);
        Assert.Equal("wait=1", again.PreferenceApplied());
    }
}
