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
    };
}
