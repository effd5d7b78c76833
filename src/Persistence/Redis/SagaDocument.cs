using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BusinessBrief.Persistence.Redis;

/// <summary>
/// How an instance is cut into the JSON documents stored in the fields of its hash: the whole instance in <c>data</c>,
/// or, when a dictionary of it is stored apart, the rest of the instance in <c>data</c> and each entry of the dictionary
/// in <c>data:&lt;key&gt;</c>. An update then sends Redis only the documents that changed: a brief's answer is one
/// section, not the four others written before it.
/// </summary>
public sealed class SagaDocument<TSaga>
    where TSaga : class
{
    public const string MainField = "data";
    const string EntryFieldPrefix = MainField + ":";

    readonly JsonSerializerOptions mainOptions;
    readonly Func<TSaga, IEnumerable<KeyValuePair<string, byte[]>>> writeEntries;
    readonly Action<TSaga, string, byte[]> readEntry;
    // The dictionary's JSON property name as the serializer writes it, UTF-8; null when the instance is stored whole.
    readonly byte[]? entriesProperty;

    SagaDocument(JsonSerializerOptions mainOptions, Func<TSaga, IEnumerable<KeyValuePair<string, byte[]>>> writeEntries,
        Action<TSaga, string, byte[]> readEntry, byte[]? entriesProperty)
    {
        this.mainOptions = mainOptions;
        this.writeEntries = writeEntries;
        this.readEntry = readEntry;
        this.entriesProperty = entriesProperty;
    }

    public static SagaDocument<TSaga> Whole(JsonSerializerOptions options) =>
        new(options, _ => [], (_, field, _) => throw new JsonException($"Unexpected field {field}: this saga is stored whole"), null);

    /// <summary>
    /// Stores each entry of <paramref name="dictionary"/> in a field of its own. The main document no longer writes the
    /// dictionary but still reads it, so an instance stored whole before stays readable and is split at its next write.
    /// </summary>
    public static SagaDocument<TSaga> WithEntriesApart<TEntry>(JsonSerializerOptions options,
        Expression<Func<TSaga, Dictionary<string, TEntry>>> dictionary)
    {
        var property = dictionary.Body is MemberExpression { Member: PropertyInfo p } ? p
            : throw new ArgumentException("Expected a property of the saga, such as brief => brief.Sections", nameof(dictionary));
        var entriesOf = dictionary.Compile();

        var mainOptions = new JsonSerializerOptions(options)
        {
            TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(contract =>
            {
                if (contract.Type != typeof(TSaga))
                    return;
                foreach (var member in contract.Properties)
                    if (member.AttributeProvider is PropertyInfo info && info.Name == property.Name && info.DeclaringType == property.DeclaringType)
                        member.ShouldSerialize = (_, _) => false;
            }),
        };

        var propertyName = mainOptions.GetTypeInfo(typeof(TSaga)).Properties
            .First(member => member.AttributeProvider is PropertyInfo info && info.Name == property.Name).Name;
        return new SagaDocument<TSaga>(mainOptions,
            instance => entriesOf(instance).Select(entry =>
                KeyValuePair.Create(EntryFieldPrefix + entry.Key, JsonSerializer.SerializeToUtf8Bytes(entry.Value, options))),
            (instance, field, json) =>
                entriesOf(instance)[field[EntryFieldPrefix.Length..]] = JsonSerializer.Deserialize<TEntry>(json, options)!,
            Encoding.UTF8.GetBytes(JsonEncodedText.Encode(propertyName, options.Encoder).Value));
    }

    /// <summary>True for the fields that hold the instance: any other field of the hash belongs to the store or its users.</summary>
    public static bool IsDocumentField(string field) => field == MainField || field.StartsWith(EntryFieldPrefix, StringComparison.Ordinal);

    /// <summary>The instance as UTF-8 JSON documents, by field; the main document first.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Write(TSaga instance) =>
        [KeyValuePair.Create(MainField, JsonSerializer.SerializeToUtf8Bytes(instance, mainOptions)), .. writeEntries(instance)];

    /// <summary>
    /// The whole instance as one JSON document, as the serializer reads it back, from its stored documents without parsing
    /// them: the entries stored apart become the dictionary's property again, after the others. Null without a main document.
    /// </summary>
    public byte[]? Join(IReadOnlyDictionary<string, byte[]> documents)
    {
        if (!documents.TryGetValue(MainField, out var main))
            return null;
        if (entriesProperty is null || documents.Count == 1)
            return main;

        var end = main.AsSpan().TrimEnd(" \t\r\n"u8);
        if (end is not [.., (byte)'}'])
            throw new JsonException("The main document is not a JSON object");
        var head = end[..^1];
        var entries = documents.Where(document => document.Key != MainField)
            .Select(document => (Name: Name(document.Key[EntryFieldPrefix.Length..]), Json: document.Value)).ToList();
        var comma = head.TrimEnd(" \t\r\n"u8) is not [.., (byte)'{'];
        // Sized exactly: head, comma, "name":{ ... }}
        var whole = new byte[head.Length + (comma ? 1 : 0) + entriesProperty.Length + 4
            + entries.Sum(entry => entry.Name.Length + 3 + entry.Json.Length + 1) - (entries.Count > 0 ? 1 : 0) + 2];
        var at = Copy(head, whole, 0);
        if (comma)
            whole[at++] = (byte)',';
        at = Copy("\""u8, whole, at);
        at = Copy(entriesProperty, whole, at);
        at = Copy("\":{"u8, whole, at);
        foreach (var (name, json) in entries)
        {
            if (whole[at - 1] != (byte)'{')
                whole[at++] = (byte)',';
            at = Copy("\""u8, whole, at);
            at = Copy(name, whole, at);
            at = Copy("\":"u8, whole, at);
            at = Copy(json, whole, at);
        }
        Copy("}}"u8, whole, at);
        return whole;
    }

    byte[] Name(string key) => Encoding.UTF8.GetBytes(JsonEncodedText.Encode(key, mainOptions.Encoder).Value);

    static int Copy(ReadOnlySpan<byte> bytes, byte[] into, int at)
    {
        bytes.CopyTo(into.AsSpan(at));
        return at + bytes.Length;
    }

    /// <summary>The instance from its main document alone: the entries stored apart are left unread, its dictionary empty.</summary>
    public TSaga? ReadMain(IReadOnlyDictionary<string, byte[]> documents) =>
        documents.TryGetValue(MainField, out var main) ? JsonSerializer.Deserialize<TSaga>(main, mainOptions) : null;

    /// <summary>The instance from its documents, by field; null when the main document is missing.</summary>
    public TSaga? Read(IReadOnlyDictionary<string, byte[]> documents)
    {
        if (!documents.TryGetValue(MainField, out var main))
            return null;

        var instance = JsonSerializer.Deserialize<TSaga>(main, mainOptions)!;
        foreach (var (field, json) in documents)
            if (field != MainField)
                readEntry(instance, field, json);
        return instance;
    }
}
