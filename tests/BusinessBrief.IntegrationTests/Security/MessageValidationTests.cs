using System.Text;
using System.Text.Json;
using BusinessBrief.Contracts;
using BusinessBrief.IntegrationTests.EndToEnd;
using BusinessBrief.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace BusinessBrief.IntegrationTests.Security;

/// <summary>A whole system of its own: these tests leave messages in its error queues on purpose.</summary>
[CollectionDefinition(Name)]
public class MessageValidationCollection : ICollectionFixture<BriefSystemFixture>
{
    public const string Name = "message validation";
}

/// <summary>
/// Consumers check what they receive: a message no correct sender produces is moved to the endpoint's
/// <c>_error</c> queue with the reason in its fault headers, and the worker goes on with the next message.
/// </summary>
[Collection(MessageValidationCollection.Name)]
public class MessageValidationTests(BriefSystemFixture system, ITestOutputHelper output)
{
    static string MarketResearch => Queues.SubAgent(SectionNames.MarketResearch);

    static readonly object Profile = new
    {
        coachingSessionId = 4242, businessName = "Boulangerie Téranga", vision = "v", mission = "m",
        targetAudience = "t", differentiation = "d", valueProposition = "p", sector = "boulangerie",
        location = new { city = "Dakar", country = "Sénégal" },
    };

    /// <param name="Message">The message for a marker id it must contain; sent in a MassTransit envelope unless <paramref name="Raw"/>.</param>
    public record Malformed(string Queue, string MessageType, Func<Guid, object?> Message, string Reason, bool Raw = false);

    static readonly Dictionary<string, Malformed> Cases = new()
    {
        ["a job without a profile"] = new(MarketResearch, nameof(RunSubAgent),
            id => new { briefId = id, jobId = Guid.NewGuid(), section = SectionNames.MarketResearch, revision = 1, language = "fr" }, "profile"),
        ["a job with a null profile"] = new(MarketResearch, nameof(RunSubAgent),
            id => new { briefId = id, jobId = Guid.NewGuid(), section = SectionNames.MarketResearch, revision = 1, language = "fr", profile = (object?)null }, "profile"),
        ["a job with an empty section"] = new(MarketResearch, nameof(RunSubAgent),
            id => new { briefId = id, jobId = Guid.NewGuid(), section = "", revision = 1, language = "fr", profile = Profile }, "section"),
        ["a job for another section"] = new(MarketResearch, nameof(RunSubAgent),
            id => new { briefId = id, jobId = Guid.NewGuid(), section = SectionNames.LogoCreation, revision = 1, language = "fr", profile = Profile }, "section"),
        ["a brief request without a user"] = new(Queues.Briefs, nameof(GenerateBrief),
            id => new { briefId = id, profile = Profile, language = "fr", requestedAt = DateTimeOffset.UtcNow }, "user"),
        ["a brief request with an empty user"] = new(Queues.Briefs, nameof(GenerateBrief),
            id => new { briefId = id, userId = " ", profile = Profile, language = "fr", requestedAt = DateTimeOffset.UtcNow }, "user"),
        ["a brief request without a profile"] = new(Queues.Briefs, nameof(GenerateBrief),
            id => new { briefId = id, userId = "awa", language = "fr", requestedAt = DateTimeOffset.UtcNow }, "profile"),
        ["a body that is not JSON"] = new(MarketResearch, nameof(RunSubAgent),
            id => $"run market research for {id}, please", "is an invalid start of a value", Raw: true),
        ["a regeneration of an unknown section"] = new(Queues.Briefs, nameof(RegenerateSections),
            id => new { briefId = id, requestId = Guid.NewGuid(), sections = new[] { "horoscope" }, requestedAt = DateTimeOffset.UtcNow }, "horoscope"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_malformed_message_is_moved_to_the_error_queue_with_its_reason_and_work_goes_on(string name)
    {
        var malformed = Cases[name];
        var errorQueue = $"{malformed.Queue}_error";
        var marker = Guid.NewGuid();
        var before = await TestInfrastructure.MessageCount(system.VirtualHost, errorQueue);

        await TestInfrastructure.PublishRaw(system.VirtualHost, malformed.Queue,
            malformed.Raw ? $"{malformed.Message(marker)}" : Envelope(malformed.MessageType, malformed.Message(marker)),
            "application/vnd.masstransit+json");

        await Eventually.Returns($"the malformed message in {errorQueue}", () => TestInfrastructure.MessageCount(system.VirtualHost, errorQueue),
            count => count == before + 1);
        var headers = await TestInfrastructure.HeadersOf(system.VirtualHost, errorQueue, marker.ToString());
        var reason = Encoding.UTF8.GetString((byte[])headers["MT-Fault-Message"]!);
        output.WriteLine(reason);
        Assert.Contains(malformed.Reason, reason);
        var client = system.ClientFor("after-the-bad-message");
        var brief = await client.WaitUntilSettled(await client.Submit());
        Assert.Equal("ready", brief.GetProperty("status").GetString());
    }

    /// <summary>A message as MassTransit puts it on the wire, for a test that writes the JSON itself.</summary>
    internal static string Envelope(string messageType, object? message) => JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { $"urn:message:BusinessBrief.Contracts:{messageType}" },
        message,
        sentTime = DateTimeOffset.UtcNow,
    });
}
