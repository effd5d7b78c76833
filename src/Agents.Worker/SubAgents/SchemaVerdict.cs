using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BusinessBrief.Agents.SubAgents;

/// <summary>
/// Whether a result surely satisfies its section's JSON schema: compiled once from the schema document, run on the
/// result's <see cref="JsonObject"/> as it is. JsonSchema.Net spent 1.7 ms of CPU per brief saying so of the five
/// valid results, half of the agents' whole cost (docs/benchmarks.md). This verdict says "holds" only when it is
/// sure; every other result goes to JsonSchema.Net, which stays the judge and says what is wrong. It knows the
/// keywords the section schemas use, with JsonSchema.Net's meaning (lengths in text elements, ECMAScript patterns),
/// and refuses a schema with any other keyword at start-up, so that none is ever skipped unnoticed.
/// </summary>
public sealed class SchemaVerdict
{
    delegate bool Check(JsonNode? instance);

    static readonly HashSet<string> Annotations = ["$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"];

    readonly JsonElement document;
    readonly Dictionary<string, Check> references = [];
    readonly Check root;

    public SchemaVerdict(JsonElement document)
    {
        this.document = document;
        root = Compile(document);
    }

    /// <summary>True when <paramref name="instance"/> satisfies the schema; false when it does not or the verdict is unsure.</summary>
    public bool Holds(JsonNode? instance) => root(instance);

    Check Compile(JsonElement schema)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            var verdict = schema.ValueKind == JsonValueKind.True;
            return _ => verdict;
        }
        if (schema.ValueKind != JsonValueKind.Object)
            throw new NotSupportedException($"a schema must be an object or a boolean, not {schema.ValueKind}");

        var all = schema.EnumerateObject()
            .Where(keyword => !Annotations.Contains(keyword.Name))
            .Select(keyword => Keyword(keyword.Name, keyword.Value, schema))
            .ToArray();
        return instance =>
        {
            foreach (var check in all)
                if (!check(instance))
                    return false;
            return true;
        };
    }

    /// <summary>One keyword of a schema object, with JsonSchema.Net's meaning; a keyword it does not know is refused.</summary>
    Check Keyword(string name, JsonElement value, JsonElement schema) => name switch
    {
        "$ref" => Reference(value.GetString()!),
        "type" => TypeIs(value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(t => t.GetString()!).ToArray() : [value.GetString()!]),
        "enum" => OneOf(value),
        "required" => Required(value.EnumerateArray().Select(v => v.GetString()!).ToArray()),
        "properties" => Properties(value.EnumerateObject().Select(p => (p.Name, Compile(p.Value))).ToArray()),
        "additionalProperties" => AdditionalProperties(schema, Compile(value)),
        "items" => Items(Compile(value)),
        "minItems" => MinItems(value.GetInt32()),
        "maxItems" => MaxItems(value.GetInt32()),
        "minLength" => MinLength(value.GetInt32()),
        "maxLength" => MaxLength(value.GetInt32()),
        "minimum" => Minimum(value.GetDouble()),
        "maximum" => Maximum(value.GetDouble()),
        "pattern" => Pattern(new Regex(value.GetString()!, RegexOptions.ECMAScript)),
        _ => throw new NotSupportedException($"the schema keyword '{name}' (teach {nameof(SchemaVerdict)} its meaning first)"),
    };

    Check Reference(string target)
    {
        if (!references.ContainsKey(target))
        {
            references[target] = _ => false; // while compiling: a reference to itself is never sure
            references[target] = Compile(Resolve(target));
        }
        return instance => references[target](instance);
    }

    static Check OneOf(JsonElement values)
    {
        var allowed = values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new NotSupportedException("enum values other than strings")).ToHashSet(StringComparer.Ordinal);
        return instance => instance is JsonValue v && v.GetValueKind() == JsonValueKind.String && allowed.Contains(v.GetValue<string>());
    }

    static Check Required(string[] names) => instance =>
    {
        if (instance is JsonObject o)
            foreach (var name in names)
                if (!o.ContainsKey(name))
                    return false;
        return true;
    };

    static Check Properties((string Name, Check Check)[] properties) => instance =>
    {
        if (instance is JsonObject o)
            foreach (var (name, check) in properties)
                if (o.TryGetPropertyValue(name, out var child) && !check(child))
                    return false;
        return true;
    };

    static Check AdditionalProperties(JsonElement schema, Check additional)
    {
        var declared = schema.TryGetProperty("properties", out var named)
            ? named.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        return instance =>
        {
            if (instance is JsonObject o)
                foreach (var (name, child) in o)
                    if (!declared.Contains(name) && !additional(child))
                        return false;
            return true;
        };
    }

    static Check Items(Check item) => instance =>
    {
        if (instance is JsonArray a)
            foreach (var child in a)
                if (!item(child))
                    return false;
        return true;
    };

    static Check MinItems(int least) => instance => instance is not JsonArray a || a.Count >= least;

    static Check MaxItems(int most) => instance => instance is not JsonArray a || a.Count <= most;

    static Check MinLength(int shortest) => instance => !IsString(instance, out var text) || TextElements(text, stopAt: shortest) >= shortest;

    // A text element is at least one UTF-16 unit: a string that short needs no counting.
    static Check MaxLength(int longest) =>
        instance => !IsString(instance, out var text) || text.Length <= longest || TextElements(text, stopAt: longest + 1) <= longest;

    static Check Minimum(double minimum) => instance => !IsNumber(instance) || (Number(instance) is { } n && n >= minimum);

    static Check Maximum(double maximum) => instance => !IsNumber(instance) || (Number(instance) is { } n && n <= maximum);

    static Check Pattern(Regex pattern) => instance => !IsString(instance, out var text) || pattern.IsMatch(text);

    JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new NotSupportedException($"$ref '{reference}': only references inside the same document");
        var at = document;
        foreach (var token in reference[2..].Split('/'))
            if (!at.TryGetProperty(token.Replace("~1", "/").Replace("~0", "~"), out at))
                throw new InvalidOperationException($"$ref '{reference}' points at nothing");
        return at;
    }

    static Check TypeIs(string[] types)
    {
        foreach (var type in types)
            if (type is not ("object" or "array" or "string" or "number" or "integer" or "boolean" or "null"))
                throw new NotSupportedException($"type '{type}'");
        return instance =>
        {
            var kind = instance?.GetValueKind() ?? JsonValueKind.Null;
            return types.Any(type => type switch
            {
                "object" => kind == JsonValueKind.Object,
                "array" => kind == JsonValueKind.Array,
                "string" => kind == JsonValueKind.String,
                "number" => kind == JsonValueKind.Number,
                "integer" => kind == JsonValueKind.Number && Number(instance) is { } n && double.IsInteger(n),
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                _ => kind == JsonValueKind.Null,
            });
        };
    }

    static bool IsString(JsonNode? instance, out string text)
    {
        text = "";
        if (instance is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            return false;
        text = value.GetValue<string>();
        return true;
    }

    static bool IsNumber(JsonNode? instance) => instance is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    /// <summary>The number a JSON value holds, whatever .NET type the writer gave it; null if unsure.</summary>
    static double? Number(JsonNode? instance) => instance is not JsonValue value ? null
        : value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<decimal>(out var m) ? (double)m
        : value.TryGetValue<float>(out var f) ? f
        : value.TryGetValue<JsonElement>(out var e) && e.TryGetDouble(out var parsed) ? parsed
        : null;

    /// <summary>Text elements (what JsonSchema.Net counts as a string's length), counted no further than <paramref name="stopAt"/>.</summary>
    static int TextElements(string text, int stopAt)
    {
        var count = 0;
        for (var rest = text.AsSpan(); !rest.IsEmpty && count < stopAt; count++)
            rest = rest[StringInfo.GetNextTextElementLength(rest)..];
        return count;
    }
}
