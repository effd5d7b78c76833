using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Agents.Catalogue;
using BusinessBrief.Agents.SubAgents.Offline;
using BusinessBrief.Contracts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Agents.SubAgents.Llm;

/// <summary>A section written by the model, and how many of its answers were rejected before it.</summary>
public record LlmAnswer(JsonObject Result, int Repairs);

/// <summary>
/// Writes any section with a chat model: the prompt carries the section's schema (also requested as structured
/// output), the profile, the language, the results of the sections it builds on (<see cref="SectionGraph"/>), and
/// on regeneration the previous result and the feedback. The answer is untrusted (a profile or feedback can carry
/// a prompt injection): it is bounded in size, every text by its schema, SVGs by <see cref="LogoSvg"/>, and the
/// JSON-LD is rewritten script-safe. An answer that fails any check is sent back with what is wrong, at most
/// <see cref="LlmOptions.MaxRepairs"/> times; then the job fails with a fixed reason, the details going to the log.
/// Each answer is capped (<see cref="LlmOptions.MaxOutputTokens"/>) and counted in the job's <see cref="ModelSpend"/>.
/// </summary>
public class LlmSectionWriter(IChatClient chat, SectionSchemas schemas, TemplateCatalogue templates,
    IOptionsMonitor<SubAgentOptions> options, ILogger<LlmSectionWriter> logger)
{
    /// <summary>What a user sees when every answer was rejected: never the answer's own words, which could be hostile.</summary>
    public const string RejectedReason = "the language model's answer was rejected as invalid or unsafe";

    /// <summary>Far above the largest valid section (six 20 KB SVGs), so that only a runaway answer is refused unparsed.</summary>
    const int MaxAnswerLength = 200_000;

    static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>What each section must respect beyond what its schema says.</summary>
    static readonly Dictionary<string, string> SectionRules = new()
    {
        [SectionNames.MarketResearch] = "Every SWOT point, opportunity and risk names the answer it comes from in \"source\" and quotes its words in \"quote\". Set provenance.external_data to false unless you used data beyond the answers, and say so in provenance.note.",
        [SectionNames.ContentGeneration] = "Write ready-to-publish website copy: 3 to 6 services fitted to the sector, reasons to choose the business built on its differentiation and value proposition, the city in the contact block. Write one \"audiences\" block per target segment of the market research input, named as it names them, and use its search keywords naturally in the copy.",
        [SectionNames.LogoCreation] = "Each \"svg\" is a standalone SVG document: xmlns=\"http://www.w3.org/2000/svg\", a viewBox, no external reference (no href, no <image>, no web fonts, no script), the business name as XML-escaped text. Declare only contrast pairs whose WCAG contrast ratio is at least 4.5, with the true ratio.",
        [SectionNames.SeoOptimization] = "title has at most 60 characters and meta_description at most 160. json_ld is a string holding a schema.org JSON-LD object whose @type includes \"LocalBusiness\", with name and address.addressLocality (the city). The first primary keyword is the first search keyword of the market research input; its price position sets the JSON-LD priceRange.",
        [SectionNames.TemplateSelection] = "Recommend exactly three templates of the catalogue given in the request, by their id, ranked 1 to 3 by decreasing score, with reasons the owner understands. Prefer templates whose palette affinity matches the palette of the logo_creation input, and say so.",
    };

    public async Task<LlmAnswer> Write(RunSubAgent job, ModelSpend spend, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Llm;
        var language = job.Language == "en" ? "en" : "fr";
        var schema = schemas.Document(job.Section);
        var chatOptions = new ChatOptions
        {
            ModelId = settings.Model,
            Temperature = settings.Temperature,
            MaxOutputTokens = settings.MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, job.Section, $"The {job.Section} section of a business brief."),
        };
        List<ChatMessage> messages =
        [
            new(ChatRole.System, Instructions(job.Section, language, schema)),
            new(ChatRole.User, Request(job, language)),
        ];

        var reason = "";
        for (var attempt = 0; attempt <= settings.MaxRepairs; attempt++)
        {
            if (spend.Answers >= settings.MaxAnswersPerJob)
            {
                logger.LogWarning("The {Section} job has had its {Max} answers; last reason: {Reason}", job.Section, settings.MaxAnswersPerJob, reason);
                throw new SectionRejectedException($"{RejectedReason}: the job reached its bound of {settings.MaxAnswersPerJob} answers");
            }
            var response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken);
            spend.Add(response, settings.Model!);
            var (result, problem) = Check(job.Section, language, response.Text);
            if (result is not null)
                return new LlmAnswer(result, attempt);

            reason = problem!;
            logger.LogWarning("The model's {Section} answer {Attempt} was rejected: {Reason}", job.Section, attempt + 1, reason);
            messages.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            messages.Add(new ChatMessage(ChatRole.User,
                $"Your answer was rejected: {reason}. Reply again with the complete corrected JSON object only."));
        }
        logger.LogWarning("The model's {Section} answers were all rejected; last reason: {Reason}", job.Section, reason);
        throw new SectionRejectedException($"{RejectedReason}, {settings.MaxRepairs + 1} times");
    }

    (JsonObject? Result, string? Problem) Check(string section, string language, string answer)
    {
        if (answer.Length > MaxAnswerLength)
            return (null, $"the answer is longer than {MaxAnswerLength} characters");
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(WithoutCodeFence(answer));
        }
        catch (JsonException ex)
        {
            return (null, $"invalid JSON ({ex.Message})");
        }
        if (parsed is not JsonObject result)
            return (null, "the answer is not a JSON object");

        if (language == "fr")
            FrenchTypography.ApplyTo(result);
        // The service computes the confidence itself (ConfidenceRule); whatever the model said is replaced.
        result["confidence"] = 0.0;
        // Rewritten before the checks, so that the length they bound is the one that is embedded.
        if (section == SectionNames.SeoOptimization && result["json_ld"] is JsonValue jsonLd && jsonLd.TryGetValue<string>(out var text)
            && JsonLd.Rewritten(text) is { } scriptSafe)
            result["json_ld"] = scriptSafe;
        var problems = schemas.Problems(section, result);
        return problems.Count == 0
            ? (result, null)
            : (null, $"schema violation: {string.Join("; ", problems.Take(8))}");
    }

    /// <summary>Some models wrap JSON in a Markdown code fence even when asked not to.</summary>
    static string WithoutCodeFence(string answer)
    {
        var text = answer.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
            return text;
        var firstLineEnd = text.IndexOf('\n');
        var lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLineEnd > 0 && lastFence > firstLineEnd ? text[(firstLineEnd + 1)..lastFence] : text;
    }

    static string Instructions(string section, string language, JsonElement schema) => $"""
        You write the "{section}" section of a business brief, which a website builder turns into the website of a small business.
        Reply with one JSON object and nothing else. It must validate against this JSON Schema (draft 2020-12):
        {schema.GetRawText()}

        Rules:
        - Write every text in {(language == "en" ? "English" : "French, with correct accents and French typography")}; set "language" to "{language}".
        - Build only on the entrepreneur's answers in the request. Do not invent facts: no street address, phone number, price, figure, award or competitor name.
        - {SectionRules[section]}
        - Put 0 in "confidence": the service computes it.
        - On a regeneration, improve on "previous_result" and follow "feedback"; record in "feedback_applied" what you changed.
        - "inputs" holds the results of the sections this one is written from: build on them and stay consistent with them. An input with an "error" instead of a "result" failed: write without it. Leave "built_on" out: the service fills it.
        """;

    string Request(RunSubAgent job, string language)
    {
        var request = new JsonObject
        {
            ["section"] = job.Section,
            ["language"] = language,
            ["revision"] = job.Revision,
            ["business_profile"] = JsonSerializer.SerializeToNode(job.Profile, SnakeCase),
        };
        if (!string.IsNullOrWhiteSpace(job.Feedback))
            request["feedback"] = job.Feedback.Trim();
        if (job.PreviousResult is { } previous)
            request["previous_result"] = JsonNode.Parse(previous.GetRawText());
        if (job.Inputs.Count > 0)
            request["inputs"] = new JsonObject(job.Inputs.Select(input => KeyValuePair.Create(input.Section, (JsonNode?)(input.Result is { } result
                ? new JsonObject { ["revision"] = input.Revision, ["result"] = JsonNode.Parse(result.GetRawText()) }
                : new JsonObject { ["error"] = input.Error }))));
        if (job.Section == SectionNames.TemplateSelection)
            request["template_catalogue"] = templates.AsJson();
        return request.ToJsonString(SnakeCase);
    }
}
