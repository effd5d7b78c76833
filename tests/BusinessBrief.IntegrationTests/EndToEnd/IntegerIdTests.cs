using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.Infrastructure;
using BusinessBrief.IntegrationTests.Security;
using BusinessBrief.Persistence;
using BusinessBrief.Persistence.Redis;

namespace BusinessBrief.IntegrationTests.EndToEnd;

/// <summary>
/// <c>coaching_session_id</c> and <c>dc360_website_id</c> are integers, as in the original model, everywhere a client
/// or a subscriber reads them; briefs and messages from before, which held them as strings, are still understood.
/// </summary>
[Collection(BriefSystemCollection.Name)]
public class IntegerIdTests(BriefSystemFixture system)
{
    const string Base = BriefApiClient.BasePath;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    readonly HttpClient client = system.ClientFor("awa-ids");

    [Fact]
    public async Task A_coaching_session_id_sent_as_a_number_comes_back_as_that_number_in_the_brief_the_event_and_the_export()
    {
        var request = BriefApiClient.DakarRequest();
        request["coaching_session_id"] = 9_007_199_254_740_993L;
        var briefId = await client.Submit(request);

        var brief = await client.WaitUntilSettled(briefId);
        var ready = await Eventually.Found("BriefReady", () => system.ReadyEvents.GetValueOrDefault((briefId, 1)), Patience);
        var export = await client.GetFromJsonAsync<JsonElement>($"{Base}/{briefId}/export?format=json");

        // Beyond 2^53: a double would round it, so the test sees whether it travels as a 64-bit integer end to end.
        AssertInteger(9_007_199_254_740_993L, brief.GetProperty("coaching_session_id"));
        Assert.Equal(JsonValueKind.Null, brief.GetProperty("dc360_website_id").ValueKind);
        Assert.Equal(9_007_199_254_740_993L, ready.Profile.CoachingSessionId);
        AssertInteger(9_007_199_254_740_993L, export.GetProperty("coaching_session_id"));
    }

    [Fact]
    public async Task A_brief_stored_with_string_ids_is_read_and_a_website_builder_sending_a_numeric_string_is_understood()
    {
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);
        await Rewrite(briefId, data => data["profile"]!["coaching_session_id"] = "4242");

        AssertInteger(4242, (await client.Get(briefId)).GetProperty("coaching_session_id"));

        await TestInfrastructure.PublishRaw(system.VirtualHost, Queues.Briefs, MessageValidationTests.Envelope(nameof(WebsiteCreated),
            new { briefId, websiteId = "98765", createdAt = DateTimeOffset.UtcNow }), "application/vnd.masstransit+json");

        var used = await Eventually.Returns("the brief marked used", () => client.Get(briefId),
            brief => brief.GetProperty("status").GetString() == "used", Patience);
        AssertInteger(98765, used.GetProperty("dc360_website_id"));
        AssertInteger(4242, used.GetProperty("coaching_session_id"));
        // The saga's write stored the ids it read as numbers.
        var stored = await StoredDocument(briefId);
        Assert.Equal(JsonValueKind.Number, stored["profile"]!["coaching_session_id"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, stored["dc360_website_id"]!.GetValueKind());
    }

    [Fact]
    public async Task A_brief_stored_with_a_coaching_session_id_that_is_no_number_reads_with_0_in_its_place()
    {
        var briefId = await client.Submit();
        await client.WaitUntilSettled(briefId);
        await Rewrite(briefId, data =>
        {
            data["profile"]!["coaching_session_id"] = "coaching-dakar-0142";
            data["dc360_website_id"] = "dc360-site-7";
        });

        var brief = await client.Get(briefId);

        AssertInteger(0, brief.GetProperty("coaching_session_id"));
        AssertInteger(0, brief.GetProperty("dc360_website_id"));
        Assert.Equal("Boulangerie Téranga", brief.GetProperty("business_name").GetString());
    }

    static void AssertInteger(long expected, JsonElement value)
    {
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), value.GetRawText());
    }

    /// <summary>Rewrites the brief's stored document as an older version of the service wrote it.</summary>
    async Task Rewrite(Guid briefId, Action<JsonObject> change)
    {
        var data = await StoredDocument(briefId);
        change(data);
        await system.Redis.GetDatabase().HashSetAsync(system.BriefKey(briefId), SagaDocument<BriefState>.MainField, data.ToJsonString());
    }

    async Task<JsonObject> StoredDocument(Guid briefId)
    {
        byte[] stored = (await system.Redis.GetDatabase().HashGetAsync(system.BriefKey(briefId), SagaDocument<BriefState>.MainField))!;
        using var json = stored is [0x1F, 0x8B, ..]
            ? (Stream)new System.IO.Compression.GZipStream(new MemoryStream(stored), System.IO.Compression.CompressionMode.Decompress)
            : new MemoryStream(stored);
        return JsonNode.Parse(json)!.AsObject();
    }
}
