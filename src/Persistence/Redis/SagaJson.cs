using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BusinessBrief.Persistence.Redis;

/// <summary>snake_case, like the HTTP API, so a document read with <c>redis-cli</c> looks like what users see.</summary>
public static class SagaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The default encoder wrote every é, " and < of the French sections and their SVGs as a six-byte \uXXXX:
        // 816 of them in one brief, an eighth of its bytes, in every write and every poll. The document is only ever
        // parsed as JSON, never placed in HTML, so the HTML-safe escaping guards nothing here (MassTransit's own
        // messages are written the same way).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
