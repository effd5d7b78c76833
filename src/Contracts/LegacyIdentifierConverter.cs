using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BusinessBrief.Contracts;

/// <summary>
/// An integer id (coaching session, DigitalCloud360 website) written as a JSON number. Briefs stored and messages sent
/// before ids were integers hold them as strings: a numeric one reads as its number, any other as 0, so that such a
/// brief stays readable (0 is never a valid id: the API accepts only positive ones).
/// </summary>
public sealed class LegacyIdentifierConverter : JsonConverter<long>
{
    public const long NotANumber = 0;

    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetInt64(),
        JsonTokenType.String => long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : NotANumber,
        _ => throw new JsonException($"An id is a JSON number, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
