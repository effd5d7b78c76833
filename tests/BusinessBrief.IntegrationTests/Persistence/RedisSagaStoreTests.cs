using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.IntegrationTests.Persistence;

/// <summary>The saga store against a real redis-server: the in-memory repository locks instances and hides these races.</summary>
public class RedisSagaStoreTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    readonly string prefix = TestInfrastructure.UniqueName("store") + ":";

    // Laid out as the orchestrator and the API lay briefs out.
    RedisSagaStore<BriefState> Store(TimeSpan? timeToLive = null)
    {
        var repository = new RedisSagaRepositoryConfigurator<BriefState>();
        new BriefStorageOptions { KeyPrefix = prefix, TimeToLive = timeToLive ?? TimeSpan.FromHours(2) }.ApplyTo(repository);
        return new RedisSagaStore<BriefState>(fixture.Redis, repository.BuildOptions(),
            new ReplicaAcknowledgement(fixture.Redis, Options.Create(new RedisReplicationOptions())));
    }

    IDatabase Database => fixture.Redis.GetDatabase();

    string Key(BriefState brief) => prefix + "{" + brief.CorrelationId + "}";

    [Fact]
    public async Task Insert_creates_an_instance_only_if_none_exists()
    {
        var store = Store();
        var brief = NewBrief();

        Assert.True(await store.Insert(brief));
        var duplicate = NewBrief(brief.CorrelationId);
        duplicate.UserId = "intruder";
        Assert.False(await store.Insert(duplicate));

        var stored = await store.Load(brief.CorrelationId);
        Assert.Equal("awa", stored!.UserId);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task A_reservation_is_readable_until_the_instance_replaces_it()
    {
        var store = Store();
        var brief = NewBrief();

        Assert.True(await store.Reserve(brief.CorrelationId, "accepted", TimeSpan.FromMinutes(5), "awa"));
        Assert.False(await store.Reserve(brief.CorrelationId, "again", TimeSpan.FromMinutes(5)));
        var reserved = await store.ReadOwnedAndRenew(brief.CorrelationId, "awa");
        Assert.Null(reserved!.Instance);
        Assert.Equal("accepted", (string?)reserved.Reservation);
        Assert.Null(await store.Load(brief.CorrelationId));

        Assert.True(await store.Insert(brief));
        var stored = await store.ReadOwnedAndRenew(brief.CorrelationId, "awa");
        Assert.Equal("awa", stored!.Instance!.UserId);
        Assert.True(stored.Reservation.IsNull);

        await store.ReleaseReservation(brief.CorrelationId);
        Assert.NotNull(await store.Load(brief.CorrelationId));
    }

    [Fact]
    public async Task Concurrent_updates_of_one_brief_never_lose_a_write()
    {
        var store = Store();
        const int rounds = 40;
        var brief = NewBrief();
        await store.Insert(brief);
        var conflicts = 0;

        // Five answers at once, as five agents finishing together would deliver them, many times over.
        for (var round = 0; round < rounds; round++)
        {
            await Task.WhenAll(SectionNames.All.Select(section => Task.Run(async () =>
            {
                while (true)
                {
                    var current = (await store.Load(brief.CorrelationId))!;
                    current.Sections[$"{section}#{round}"] = new SectionState { Status = SectionStatus.Completed };
                    try
                    {
                        await store.Update(current);
                        return;
                    }
                    catch (ConcurrencyException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            })));
        }

        var final = (await store.Load(brief.CorrelationId))!;
        Assert.Equal(rounds * SectionNames.All.Count, final.Sections.Count);
        Assert.Equal(1 + rounds * SectionNames.All.Count, final.Version);
        Assert.True(conflicts > 0, "the hammer never produced a conflict, so it proved nothing");
    }

    [Fact]
    public async Task An_update_from_a_stale_version_is_refused()
    {
        var store = Store();
        var brief = NewBrief();
        await store.Insert(brief);
        var first = (await store.Load(brief.CorrelationId))!;
        var second = (await store.Load(brief.CorrelationId))!;

        first.Feedback = "first";
        await store.Update(first);
        second.Feedback = "second";

        await Assert.ThrowsAsync<ConcurrencyException>(() => store.Update(second));
        Assert.Equal("first", (await store.Load(brief.CorrelationId))!.Feedback);
    }

    [Fact]
    public async Task Delete_checks_the_version()
    {
        var store = Store();
        var brief = NewBrief();
        await store.Insert(brief);
        var stale = (await store.Load(brief.CorrelationId))!;
        var fresh = (await store.Load(brief.CorrelationId))!;
        await store.Update(fresh);

        await Assert.ThrowsAsync<ConcurrencyException>(() => store.Delete(stale));
        Assert.NotNull(await store.Load(brief.CorrelationId));

        await store.Delete(fresh);
        Assert.Null(await store.Load(brief.CorrelationId));
    }

    [Fact]
    public async Task An_erased_instance_cannot_be_written_again_while_its_tombstone_lasts()
    {
        var store = Store();
        var brief = NewBrief();
        await store.Insert(brief);
        var loaded = (await store.Load(brief.CorrelationId))!;
        await Database.HashSetAsync(Key(brief), "linked", "other-key");

        var kept = await store.Erase(brief.CorrelationId, TimeSpan.FromMilliseconds(500), "linked", "absent");

        Assert.Equal("other-key", (string?)kept["linked"]);
        Assert.False(kept.ContainsKey("absent"));
        Assert.Null(await store.ReadOwnedAndRenew(brief.CorrelationId, "awa"));
        Assert.True(await store.IsErased(brief.CorrelationId));
        // A late writer that loaded it before: refused, and nothing is recreated.
        await Assert.ThrowsAsync<ConcurrencyException>(() => store.Update(loaded));
        Assert.False(await store.Insert(NewBrief(brief.CorrelationId)));
        Assert.False(await Database.KeyExistsAsync(Key(brief)));

        await Task.Delay(800);
        Assert.False(await store.IsErased(brief.CorrelationId));
    }

    [Fact]
    public async Task Every_write_and_every_read_renews_the_sliding_lifetime()
    {
        var store = Store(TimeSpan.FromSeconds(30));
        var brief = NewBrief();
        await store.Insert(brief);
        var key = Key(brief);

        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 25, 30);
        await Database.KeyExpireAsync(key, TimeSpan.FromSeconds(5));

        var read = await store.ReadOwnedAndRenew(brief.CorrelationId, "awa");
        Assert.InRange(read!.ExpiresIn.TotalSeconds, 25, 30);
        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 25, 30);

        await Database.KeyExpireAsync(key, TimeSpan.FromSeconds(5));
        await store.Update(read.Instance!);
        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 25, 30);
    }

    [Fact]
    public async Task Reading_someone_elses_brief_returns_nothing_and_changes_nothing_as_for_a_missing_one()
    {
        var store = Store();
        var brief = NewBrief();
        await store.Insert(brief);
        var key = Key(brief);
        await Database.KeyExpireAsync(key, TimeSpan.FromSeconds(5));
        var before = await Database.HashGetAllAsync(key);

        Assert.Null(await store.ReadOwnedAndRenew(brief.CorrelationId, "intruder"));
        Assert.Null(await store.ReadOwnedStamp(brief.CorrelationId, "intruder"));
        Assert.Null(await store.ReadOwnedAndRenew(NewId.NextGuid(), "intruder"));

        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalSeconds, 0, 5);
        Assert.Equal(before.OrderBy(e => e.Name), (await Database.HashGetAllAsync(key)).OrderBy(e => e.Name));
        Assert.NotNull(await store.ReadOwnedStamp(brief.CorrelationId, "awa"));
        Assert.InRange((await Database.KeyTimeToLiveAsync(key))!.Value.TotalMinutes, 119, 120);
    }

    [Fact]
    public async Task A_brief_stored_before_briefs_kept_their_owner_is_read_by_its_owner_only_and_learns_whose_it_is()
    {
        var store = Store();
        var brief = NewBrief();
        await store.Insert(brief);
        var reserved = NewBrief();
        await store.Reserve(reserved.CorrelationId, JsonSerializer.SerializeToUtf8Bytes(new { user_id = "awa" }), TimeSpan.FromMinutes(5));
        await Database.HashDeleteAsync(Key(brief), RedisSagaRepositoryOptions<BriefState>.OwnerField);

        Assert.Null(await store.ReadOwnedAndRenew(brief.CorrelationId, "intruder"));
        Assert.Null(await store.ReadOwnedAndRenew(reserved.CorrelationId, "intruder"));
        Assert.Equal("awa", (await store.ReadOwnedAndRenew(brief.CorrelationId, "awa"))!.Instance!.UserId);
        Assert.NotNull(await store.ReadOwnedStamp(reserved.CorrelationId, "awa"));

        Assert.Equal("awa", (string?)await Database.HashGetAsync(Key(brief), RedisSagaRepositoryOptions<BriefState>.OwnerField));
        Assert.Equal("awa", (string?)await Database.HashGetAsync(Key(reserved), RedisSagaRepositoryOptions<BriefState>.OwnerField));
    }

    [Fact]
    public async Task A_brief_without_an_owner_whose_document_names_nobody_readable_is_nobodys()
    {
        var store = Store();
        var brief = NewBrief();
        await store.Insert(brief);
        // Compressed, as a whole brief over the threshold was: the script cannot read whose it is.
        await Database.HashDeleteAsync(Key(brief), RedisSagaRepositoryOptions<BriefState>.OwnerField);
        await Database.HashSetAsync(Key(brief), SagaDocument<BriefState>.MainField, new byte[] { 0x1F, 0x8B, 0x08, 0x00 });

        Assert.Null(await store.ReadOwnedAndRenew(brief.CorrelationId, "awa"));
        Assert.Null(await store.ReadOwnedStamp(brief.CorrelationId, "awa"));
    }

    [Fact]
    public async Task An_expired_brief_is_gone()
    {
        var store = Store(TimeSpan.FromMilliseconds(300));
        var brief = NewBrief();
        await store.Insert(brief);

        await Task.Delay(600);

        Assert.Null(await store.Load(brief.CorrelationId));
        Assert.Null(await store.ReadOwnedAndRenew(brief.CorrelationId, "awa"));
    }

    [Fact]
    public async Task Large_briefs_are_stored_compressed_and_read_back_whole_while_small_ones_stay_readable_json()
    {
        var store = Store();
        var small = NewBrief();
        var large = NewBrief();
        var text = string.Join(" ", Enumerable.Range(0, 20_000).Select(i => $"mot{i}"));
        large.Sections[SectionNames.ContentGeneration] = new SectionState
        {
            Status = SectionStatus.Completed,
            Result = JsonSerializer.SerializeToElement(new { body = text }),
        };

        await store.Insert(small);
        await store.Insert(large);

        Assert.StartsWith("{", (string?)await Database.HashGetAsync(Key(small), "data"));
        // The large section alone is compressed: the rest of the brief stays JSON that redis-cli shows as it is.
        Assert.StartsWith("{", (string?)await Database.HashGetAsync(Key(large), "data"));
        var storedSection = (byte[])(await Database.HashGetAsync(Key(large), $"data:{SectionNames.ContentGeneration}"))!;
        Assert.Equal([0x1F, 0x8B], storedSection[..2]);
        Assert.True(storedSection.Length < text.Length / 2, $"{storedSection.Length} bytes stored for {text.Length} characters");

        var read = await store.Load(large.CorrelationId);
        Assert.Equal(text, read!.Sections[SectionNames.ContentGeneration].Result!.Value.GetProperty("body").GetString());
    }

    [Fact]
    public async Task French_text_and_markup_are_stored_as_written_and_read_back_the_same()
    {
        var store = Store();
        var brief = NewBrief();
        const string logo = """<svg viewBox="0 0 10 10"><text>Téranga — l'été à Dakar & « douceurs »</text></svg>""";
        brief.Sections[SectionNames.LogoCreation] = new SectionState
        {
            Status = SectionStatus.Completed,
            Result = JsonSerializer.SerializeToElement(new { svg = logo }),
        };

        await store.Insert(brief);

        // What redis-cli shows, and what every write and every poll carries: no six-byte \uXXXX per accent or quote.
        var stored = (string?)await Database.HashGetAsync(Key(brief), "data");
        var storedLogo = (string?)await Database.HashGetAsync(Key(brief), $"data:{SectionNames.LogoCreation}");
        Assert.Contains("Boulangerie Téranga", stored);
        Assert.Contains("""<text>Téranga — l'été à Dakar & « douceurs »</text>""", storedLogo);
        Assert.DoesNotContain("\\u00", stored + storedLogo);
        var read = await store.Load(brief.CorrelationId);
        Assert.Equal(logo, read!.Sections[SectionNames.LogoCreation].Result!.Value.GetProperty("svg").GetString());
    }

    [Fact]
    public async Task An_answer_sends_Redis_the_section_it_changed_and_not_the_others()
    {
        var store = Store();
        var brief = WithFiveSections(NewBrief());
        await store.Insert(brief);
        var loaded = (await store.Load(brief.CorrelationId))!;

        // A marker behind the store's back, in a section the update does not touch: rewriting that section would erase it.
        var untouched = $"data:{SectionNames.MarketResearch}";
        var marked = loaded.Sections[SectionNames.MarketResearch];
        marked.Feedback = "written beside the store";
        await Database.HashSetAsync(Key(brief), untouched, JsonSerializer.Serialize(marked, SagaJson.Options));
        marked.Feedback = null;

        loaded.Sections[SectionNames.LogoCreation].Result = JsonSerializer.SerializeToElement(new { svg = "<svg>nouveau</svg>" });
        loaded.Usage = loaded.Usage with { Jobs = 7 };
        await store.Update(loaded);

        var read = (await store.Load(brief.CorrelationId))!;
        Assert.Equal("<svg>nouveau</svg>", read.Sections[SectionNames.LogoCreation].Result!.Value.GetProperty("svg").GetString());
        Assert.Equal(7, read.Usage.Jobs);
        Assert.Equal(2, read.Version);
        Assert.Equal("written beside the store", read.Sections[SectionNames.MarketResearch].Feedback);
    }

    [Fact]
    public async Task A_brief_stored_whole_by_an_earlier_version_is_read_and_split_at_its_next_write()
    {
        var store = Store();
        var brief = WithFiveSections(NewBrief());
        brief.Version = 3;
        // How briefs were laid out before the sections were stored apart: still in Redis when the new code starts.
        await Database.HashSetAsync(Key(brief),
        [
            new("version", 3), new("data", JsonSerializer.SerializeToUtf8Bytes(brief, SagaJson.Options)), new("encoding", "json"),
            new("ttl", 7_200_000),
        ]);

        var loaded = (await store.Load(brief.CorrelationId))!;
        Assert.Equal(SectionNames.All.Order(), loaded.Sections.Keys.Order());
        Assert.Equal(SectionNames.SeoOptimization, loaded.Sections[SectionNames.SeoOptimization].Result!.Value.GetProperty("section").GetString());
        Assert.Equal("Pain frais à Dakar", loaded.Sections[SectionNames.SeoOptimization].Result!.Value.GetProperty("texte").GetString());

        loaded.Feedback = "plus de couleurs";
        await store.Update(loaded);

        Assert.DoesNotContain("\"sections\"", (string?)await Database.HashGetAsync(Key(brief), "data"));
        Assert.False(await Database.HashExistsAsync(Key(brief), "encoding"));
        var read = (await store.Load(brief.CorrelationId))!;
        Assert.Equal("plus de couleurs", read.Feedback);
        Assert.Equal(SectionNames.All.Order(), read.Sections.Keys.Order());
        Assert.All(read.Sections.Values, section => Assert.Equal(SectionStatus.Completed, section.Status));
    }

    [Fact]
    public async Task A_copy_for_the_archive_reads_back_as_the_brief_whether_stored_in_parts_or_whole_by_an_earlier_version()
    {
        var store = Store();
        var inParts = WithFiveSections(NewBrief());
        await store.Insert(inParts);
        var whole = WithFiveSections(NewBrief());
        whole.Version = 3;
        await Database.HashSetAsync(Key(whole),
            [new("version", 3), new("data", JsonSerializer.SerializeToUtf8Bytes(whole, SagaJson.Options)), new("ttl", 7_200_000)]);

        foreach (var brief in new[] { inParts, whole })
        {
            var copy = (await store.LoadCopy(brief.CorrelationId))!;
            var loaded = (await store.Load(brief.CorrelationId))!;
            Assert.Equal(brief.Version, copy.Instance.Version);
            Assert.Equal(JsonSerializer.Serialize(loaded, SagaJson.Options),
                JsonSerializer.Serialize(JsonSerializer.Deserialize<BriefState>(copy.Json, SagaJson.Options), SagaJson.Options));
            Assert.Equal(SectionNames.All.Order(), JsonSerializer.Deserialize<BriefState>(copy.Json, SagaJson.Options)!.Sections.Keys.Order());
        }
        Assert.Null(await store.LoadCopy(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_section_taken_out_of_the_brief_is_gone_from_Redis()
    {
        var store = Store();
        var brief = WithFiveSections(NewBrief());
        await store.Insert(brief);

        var loaded = (await store.Load(brief.CorrelationId))!;
        loaded.Sections.Remove(SectionNames.TemplateSelection);
        await store.Update(loaded);

        Assert.DoesNotContain(SectionNames.TemplateSelection, (await store.Load(brief.CorrelationId))!.Sections.Keys);
        Assert.False(await Database.HashExistsAsync(Key(brief), $"data:{SectionNames.TemplateSelection}"));
    }

    static BriefState WithFiveSections(BriefState brief)
    {
        brief.Sections = SectionNames.All.ToDictionary(name => name, name => new SectionState
        {
            Status = SectionStatus.Completed,
            Confidence = 0.8,
            Result = JsonSerializer.SerializeToElement(new { section = name, texte = "Pain frais à Dakar" }),
        });
        return brief;
    }

    static BriefState NewBrief(Guid? id = null) => new()
    {
        CorrelationId = id ?? NewId.NextGuid(),
        Status = BriefStatus.Generating,
        UserId = "awa",
        Language = "fr",
        Revision = 1,
        Profile = BriefApiClient.MinimalProfile("Boulangerie Téranga"),
    };
}
