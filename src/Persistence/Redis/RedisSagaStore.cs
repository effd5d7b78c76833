using System.IO.Compression;
using System.Runtime.CompilerServices;
using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

/// <summary>
/// Reads and writes saga instances as Redis hashes, one key per instance: <c>version</c>, <c>ttl</c> and the instance's
/// JSON documents (<c>data</c>, and <c>data:&lt;key&gt;</c> for the entries <see cref="SagaDocument{TSaga}"/> stores
/// apart). Before the instance exists, the key can hold a <c>reservation</c>: what the caller that started the saga
/// wants readers to see meanwhile; storing the instance replaces it.
/// Every write is a compare-and-set in one Lua script, so concurrent consumers never lose an update and a
/// duplicate start never creates a second instance. An update sends only the documents that differ from what this
/// store last read or wrote for the same object. The repository increments <see cref="ISagaVersion.Version"/>:
/// MassTransit does not. An erased instance leaves a short-lived tombstone key beside it, which inserts respect.
/// </summary>
public class RedisSagaStore<TSaga>(IConnectionMultiplexer redis, RedisSagaRepositoryOptions<TSaga> options, ReplicaAcknowledgement replicas)
    where TSaga : class, ISagaVersion
{
    // Returns 1 when written, 0 when the instance already exists or was erased. KEYS[1] the instance, KEYS[2] its
    // tombstone; ARGV[1] the version, ARGV[2] the ttl in ms, then field and value of each document.
    const string InsertScript = """
        if redis.call('HEXISTS', KEYS[1], 'version') == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        redis.call('HDEL', KEYS[1], 'reservation')
        redis.call('HSET', KEYS[1], 'version', ARGV[1], 'ttl', ARGV[2], unpack(ARGV, 3))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // Returns 1 when written, 0 when another writer got there first, -1 when the instance is gone. ARGV[1] the expected
    // version, ARGV[2] the new one, ARGV[3] the ttl in ms, ARGV[4] n, then the n fields the instance is made of now
    // (a stored document field not among them is removed), then field and value of each document that changed.
    // 'encoding' said how the single document of the earlier layout was written: it would now describe nothing.
    const string UpdateScript = """
        local current = redis.call('HGET', KEYS[1], 'version')
        if not current then return -1 end
        if tonumber(current) ~= tonumber(ARGV[1]) then return 0 end
        local last = 4 + tonumber(ARGV[4])
        local kept = {}
        for i = 5, last do kept[ARGV[i]] = true end
        for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
            local document = field == 'data' or string.sub(field, 1, 5) == 'data:'
            if field == 'encoding' or (document and not kept[field]) then redis.call('HDEL', KEYS[1], field) end
        end
        redis.call('HSET', KEYS[1], 'version', ARGV[2], 'ttl', ARGV[3], unpack(ARGV, last + 1))
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    static readonly LuaScript DeleteScript = LuaScript.Prepare("""
        local current = redis.call('HGET', @key, 'version')
        if not current then return -1 end
        if tonumber(current) ~= tonumber(@expected) then return 0 end
        redis.call('DEL', @key)
        return 1
        """);

    // Whatever its version: an erasure is the owner's decision, not a write that may lose a race. Returns the
    // fields asked for, read just before the instance went. KEYS[1] the instance, KEYS[2] its tombstone;
    // ARGV[1] the tombstone's lifetime in ms, then the fields.
    const string EraseScript = """
        local fields = {}
        if #ARGV > 1 then fields = redis.call('HMGET', KEYS[1], unpack(ARGV, 2)) end
        redis.call('DEL', KEYS[1])
        redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
        return fields
        """;

    // An empty owner stands for none: Lua cannot receive a null argument.
    static readonly LuaScript ReserveScript = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 1 then return 0 end
        redis.call('HSET', @key, 'reservation', @reservation, 'ttl', @ttl)
        if @owner ~= '' then redis.call('HSET', @key, 'owner', @owner) end
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    static readonly LuaScript ReleaseReservationScript = LuaScript.Prepare("""
        if redis.call('HEXISTS', @key, 'version') == 0 then redis.call('DEL', @key) end
        return 1
        """);

    // The owner of the instance, or nil: the 'owner' field, else (stored before instances kept one) the owner property
    // named by ARGV[2] in the JSON document or reservation, written back so the next read is as cheap. A compressed or
    // foreign document names nobody: no one owns it. KEYS[1] the instance, ARGV[1] the reader.
    const string OwnerOf = """
        local function owner_of(key, property)
            local owner = redis.call('HGET', key, 'owner')
            if owner then return owner end
            local document = redis.call('HGET', key, 'data') or redis.call('HGET', key, 'reservation')
            if not document then return nil end
            local parsed, value = pcall(cjson.decode, document)
            if not parsed or type(value) ~= 'table' or type(value[property]) ~= 'string' then return nil end
            redis.call('HSET', key, 'owner', value[property])
            return value[property]
        end
        if owner_of(KEYS[1], ARGV[2]) ~= ARGV[1] then return nil end

        """;

    // Reading renews the sliding lifetime with the ttl the last write chose (used briefs keep a longer one), only for
    // the owner: anyone else gets nil, as for a missing key, and renews nothing. Returns the whole hash, then the lifetime left.
    const string ReadAndRenewScript = OwnerOf + """
        redis.call('PEXPIRE', KEYS[1], redis.call('HGET', KEYS[1], 'ttl'))
        local fields = redis.call('HGETALL', KEYS[1])
        table.insert(fields, redis.call('PTTL', KEYS[1]))
        return fields
        """;

    // A read that checks whether anything changed: renews the lifetime like the full read, for the owner only, and
    // returns the version (nil while only reserved) and the fields asked for (ARGV[3] on), without sending any document.
    const string ReadStampScript = OwnerOf + """
        redis.call('PEXPIRE', KEYS[1], redis.call('HGET', KEYS[1], 'ttl'))
        return redis.call('HMGET', KEYS[1], 'version', unpack(ARGV, 3))
        """;

    static readonly byte[] GzipMagic = [0x1F, 0x8B];

    // The documents each object was last read or written as, so that an update can leave the unchanged ones out.
    // Weak: an instance forgotten by its consumer takes its entry with it.
    readonly ConditionalWeakTable<TSaga, IReadOnlyDictionary<string, byte[]>> documentsAsStored = new();

    IDatabase Database => redis.GetDatabase();

    public async Task<TSaga?> Load(Guid correlationId)
    {
        var documents = Documents(await Database.HashGetAllAsync(options.Key(correlationId)).ConfigureAwait(false));
        var instance = options.Document.Read(documents);
        if (instance is not null)
            documentsAsStored.AddOrUpdate(instance, documents);
        return instance;
    }

    /// <summary>
    /// The instance read from its main document alone, and the whole instance as one JSON document joined from the stored
    /// ones without parsing them: for copying it elsewhere at a fraction of <see cref="Load"/>'s cost. Null when missing.
    /// </summary>
    public async Task<SagaCopy<TSaga>?> LoadCopy(Guid correlationId)
    {
        var documents = Documents(await Database.HashGetAllAsync(options.Key(correlationId)).ConfigureAwait(false));
        return options.Document.ReadMain(documents) is { } instance ? new SagaCopy<TSaga>(instance, options.Document.Join(documents)!) : null;
    }

    /// <summary>
    /// Loads an instance (or its reservation) if it belongs to <paramref name="owner"/>, and then only renews its lifetime,
    /// as a user's read does; also returns the <paramref name="fields"/> other writers keep in the instance's hash.
    /// Null, with nothing renewed, when the instance is missing or someone else's: the two cost Redis the same.
    /// </summary>
    public async Task<StoredSaga<TSaga>?> ReadOwnedAndRenew(Guid correlationId, string owner, params string[] fields)
    {
        var result = await Database.ScriptEvaluateAsync(ReadAndRenewScript, [options.Key(correlationId)], OwnerArguments(owner))
            .ConfigureAwait(false);
        if (result.IsNull)
            return null;

        var values = (RedisValue[])result!;
        var hash = Enumerable.Range(0, values.Length / 2).Select(i => new HashEntry(values[2 * i], values[2 * i + 1])).ToList();
        var others = hash.Where(entry => !SagaDocument<TSaga>.IsDocumentField(entry.Name!)).ToDictionary(entry => (string)entry.Name!, entry => entry.Value);
        return new StoredSaga<TSaga>(options.Document.Read(Documents(hash)), others.GetValueOrDefault("reservation", RedisValue.Null),
            fields.Where(others.ContainsKey).ToDictionary(field => field, field => others[field]),
            TimeSpan.FromMilliseconds((long)values[^1]));
    }

    /// <summary>
    /// The version of an instance of <paramref name="owner"/> (0 while only reserved) and the <paramref name="fields"/> other
    /// writers keep in its hash; renews its lifetime as <see cref="ReadOwnedAndRenew"/> does, and is null as it is.
    /// </summary>
    public async Task<SagaStamp?> ReadOwnedStamp(Guid correlationId, string owner, params string[] fields)
    {
        var result = await Database.ScriptEvaluateAsync(ReadStampScript, [options.Key(correlationId)],
            [.. OwnerArguments(owner), .. fields.Select(field => (RedisValue)field)]).ConfigureAwait(false);
        if (result.IsNull)
            return null;

        var values = (RedisValue[])result!;
        return new SagaStamp(values[0].IsNull ? 0 : (int)values[0],
            fields.Select((field, i) => (field, value: values[i + 1])).Where(x => !x.value.IsNull).ToDictionary(x => x.field, x => x.value));
    }

    RedisValue[] OwnerArguments(string owner) =>
        [owner, options.OwnerProperty ?? throw new InvalidOperationException($"No owner is configured for {typeof(TSaga).Name}")];

    /// <summary>Holds the id for an instance about to be created, for <paramref name="owner"/>; false when the id is already taken.</summary>
    public async Task<bool> Reserve(Guid correlationId, RedisValue reservation, TimeSpan timeToLive, string? owner = null) =>
        (int)await Database.ScriptEvaluateAsync(ReserveScript, new
        {
            key = (RedisKey)options.Key(correlationId),
            reservation,
            ttl = (long)timeToLive.TotalMilliseconds,
            owner = owner ?? "",
        }).ConfigureAwait(false) == 1;

    /// <summary>Gives up a reservation whose instance will not be created; an instance already stored stays.</summary>
    public Task ReleaseReservation(Guid correlationId) =>
        Database.ScriptEvaluateAsync(ReleaseReservationScript, new { key = (RedisKey)options.Key(correlationId) });

    /// <summary>Creates the instance if no instance with its id exists; returns false otherwise.</summary>
    public Task<bool> Insert(TSaga instance) => InsertAt(instance, 1);

    /// <summary>
    /// Creates the instance at the version it was stored at elsewhere (an archive) if no instance with its id exists and
    /// it was not erased, so that the versions of its later writes keep growing; false otherwise.
    /// </summary>
    public Task<bool> Restore(TSaga instance) => InsertAt(instance, instance.Version);

    async Task<bool> InsertAt(TSaga instance, int version)
    {
        instance.Version = version;
        var documents = options.Document.Write(instance);
        var key = options.Key(instance.CorrelationId);
        RedisValue[] arguments =
        [
            instance.Version, (long)options.TimeToLive(instance).TotalMilliseconds, .. FieldsAndValues(documents),
            .. options.Owner is { } owner ? [RedisSagaRepositoryOptions<TSaga>.OwnerField, owner(instance)] : Array.Empty<RedisValue>(),
        ];
        var written = await WriteOrRecognise(key, instance.Version, documents,
            () => Database.ScriptEvaluateAsync(InsertScript, [key, options.TombstoneKey(instance.CorrelationId)], arguments));

        if (written != 1)
        {
            instance.Version = 0;
            return false;
        }

        documentsAsStored.AddOrUpdate(instance, documents.ToDictionary());
        return true;
    }

    public async Task Update(TSaga instance)
    {
        var expected = instance.Version;
        instance.Version = expected + 1;
        var documents = options.Document.Write(instance);
        var before = documentsAsStored.TryGetValue(instance, out var stored) ? stored : null;
        var changed = documents.Where(document =>
            before?.TryGetValue(document.Key, out var old) != true || !old.AsSpan().SequenceEqual(document.Value));
        var key = options.Key(instance.CorrelationId);
        RedisValue[] arguments =
        [
            expected, instance.Version, (long)options.TimeToLive(instance).TotalMilliseconds,
            documents.Count, .. documents.Select(document => (RedisValue)document.Key), .. FieldsAndValues(changed),
        ];
        var written = await WriteOrRecognise(key, instance.Version, documents,
            () => Database.ScriptEvaluateAsync(UpdateScript, [key], arguments));

        if (written != 1)
        {
            instance.Version = expected;
            throw new ConcurrencyException(
                written == 0 ? $"Version {expected} of the instance was replaced by another writer" : "The instance no longer exists",
                typeof(TSaga), instance.CorrelationId);
        }

        documentsAsStored.AddOrUpdate(instance, documents.ToDictionary());
    }

    /// <summary>
    /// Runs a write script. When the connection fails mid-call, the server may still have applied it: if the
    /// stored documents are exactly ours at our version, the write happened and counts as done (1). Otherwise the
    /// error stands and the caller's retry re-reads the instance. A write done or recognised is then confirmed by a replica
    /// (<see cref="ReplicaAcknowledgement"/>), outside the recognition, which would take the master's copy for a durable one.
    /// </summary>
    async Task<int> WriteOrRecognise(string key, int version, IReadOnlyList<KeyValuePair<string, byte[]>> documents,
        Func<Task<RedisResult>> write)
    {
        var written = await WrittenOrRecognised(key, version, documents, write).ConfigureAwait(false);
        if (written == 1)
            await replicas.Confirm(key).ConfigureAwait(false);
        return written;
    }

    async Task<int> WrittenOrRecognised(string key, int version, IReadOnlyList<KeyValuePair<string, byte[]>> documents,
        Func<Task<RedisResult>> write)
    {
        try
        {
            return (int)await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (UnconfirmedSagaWrite.LeavesOutcomeUnknown(ex))
        {
            var stored = await Database.HashGetAsync(key, ["version", .. documents.Select(document => (RedisValue)document.Key)]).ConfigureAwait(false);
            if (stored[0] == version && documents.Select((document, i) => stored[i + 1] is { IsNull: false } value
                    && Decode((byte[])value!).AsSpan().SequenceEqual(document.Value)).All(same => same))
                return 1;
            throw;
        }
    }

    public async Task Delete(TSaga instance)
    {
        var deleted = (int)await Database.ScriptEvaluateAsync(DeleteScript, new
        {
            key = (RedisKey)options.Key(instance.CorrelationId),
            expected = instance.Version,
        }).ConfigureAwait(false);

        if (deleted == 0)
            throw new ConcurrencyException($"Version {instance.Version} of the instance was replaced by another writer",
                typeof(TSaga), instance.CorrelationId);
    }

    /// <summary>
    /// Removes the instance (or its reservation) at once and leaves a tombstone for <paramref name="tombstoneLifetime"/>:
    /// meanwhile no insert can create the instance again, and updates already fail because it is missing. Returns the
    /// <paramref name="fields"/> other writers kept in the instance's hash, as they were before it went.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RedisValue>> Erase(Guid correlationId, TimeSpan tombstoneLifetime, params string[] fields)
    {
        RedisValue[] arguments = [(long)tombstoneLifetime.TotalMilliseconds, .. fields.Select(f => (RedisValue)f)];
        var values = (RedisValue[])(await Database.ScriptEvaluateAsync(EraseScript,
            [options.Key(correlationId), options.TombstoneKey(correlationId)], arguments).ConfigureAwait(false))!;
        return fields.Select((f, i) => (f, values[i])).Where(x => !x.Item2.IsNull).ToDictionary(x => x.f, x => x.Item2);
    }

    /// <summary>True while the tombstone of an erased instance lasts.</summary>
    public Task<bool> IsErased(Guid correlationId) => Database.KeyExistsAsync(options.TombstoneKey(correlationId));

    IEnumerable<RedisValue> FieldsAndValues(IEnumerable<KeyValuePair<string, byte[]>> documents) =>
        documents.SelectMany(document => new[] { (RedisValue)document.Key, Encode(document.Value) });

    static Dictionary<string, byte[]> Documents(IEnumerable<HashEntry> hash) =>
        hash.Where(entry => SagaDocument<TSaga>.IsDocumentField(entry.Name!))
            .ToDictionary(entry => (string)entry.Name!, entry => Decode((byte[])entry.Value!));

    RedisValue Encode(byte[] json)
    {
        if (json.Length <= options.CompressionThreshold)
            return json;

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
            gzip.Write(json);
        return compressed.ToArray();
    }

    // A JSON document never starts with gzip's magic bytes, so the stored bytes say how they were written.
    static byte[] Decode(byte[] stored)
    {
        if (!stored.AsSpan().StartsWith(GzipMagic))
            return stored;

        using var json = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress))
            gzip.CopyTo(json);
        return json.ToArray();
    }
}

/// <summary>
/// An instance to copy: <paramref name="Instance"/> read from its main document only (what it stores apart is missing from
/// it) and <paramref name="Json"/>, the whole instance as the serializer would write it, with what is stored apart.
/// </summary>
public record SagaCopy<TSaga>(TSaga Instance, byte[] Json);

/// <summary>What a cheap read of an owned instance found under its key: its version (0 while only reserved) and other fields.</summary>
public record SagaStamp(int Version, IReadOnlyDictionary<string, RedisValue> Fields);

/// <summary>
/// What a user's read found under an instance's key: the instance (null while only reserved), the reservation,
/// the other fields asked for, and the lifetime left after the read renewed it.
/// </summary>
public record StoredSaga<TSaga>(TSaga? Instance, RedisValue Reservation, IReadOnlyDictionary<string, RedisValue> Fields, TimeSpan ExpiresIn);
