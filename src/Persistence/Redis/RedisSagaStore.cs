using System.IO.Compression;
using System.Text.Json;
using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

/// <summary>
/// Reads and writes saga instances as Redis hashes (<c>version</c>, <c>data</c>, <c>encoding</c>, <c>ttl</c>), one
/// key per instance. Before the instance exists, the key can hold a <c>reservation</c>: what the caller that
/// started the saga wants readers to see meanwhile; storing the instance replaces it.
/// Every write is a compare-and-set in one Lua script, so concurrent consumers never lose an update and a
/// duplicate start never creates a second instance. The repository increments <see cref="ISagaVersion.Version"/>:
/// MassTransit does not. An erased instance leaves a short-lived tombstone key beside it, which inserts respect.
/// </summary>
public class RedisSagaStore<TSaga>(IConnectionMultiplexer redis, RedisSagaRepositoryOptions<TSaga> options)
    where TSaga : class, ISagaVersion
{
    const string Json = "json";
    const string Gzip = "gzip";

    // Returns 1 when written, 0 when the instance already exists or was erased.
    static readonly LuaScript InsertScript = LuaScript.Prepare("""
        if redis.call('HEXISTS', @key, 'version') == 1 or redis.call('EXISTS', @tombstone) == 1 then return 0 end
        redis.call('HDEL', @key, 'reservation')
        redis.call('HSET', @key, 'version', @version, 'data', @data, 'encoding', @encoding, 'ttl', @ttl)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    // Returns 1 when written, 0 when another writer got there first, -1 when the instance is gone.
    static readonly LuaScript UpdateScript = LuaScript.Prepare("""
        local current = redis.call('HGET', @key, 'version')
        if not current then return -1 end
        if tonumber(current) ~= tonumber(@expected) then return 0 end
        redis.call('HSET', @key, 'version', @version, 'data', @data, 'encoding', @encoding, 'ttl', @ttl)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

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

    static readonly LuaScript ReserveScript = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 1 then return 0 end
        redis.call('HSET', @key, 'reservation', @reservation, 'ttl', @ttl)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    static readonly LuaScript ReleaseReservationScript = LuaScript.Prepare("""
        if redis.call('HEXISTS', @key, 'version') == 0 then redis.call('DEL', @key) end
        return 1
        """);

    // Reading renews the sliding lifetime with the ttl the last write chose (used briefs keep a longer one).
    // KEYS[1] the instance; ARGV the fields to read: data, encoding, reservation, then the caller's own.
    const string ReadAndRenewScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
        redis.call('PEXPIRE', KEYS[1], redis.call('HGET', KEYS[1], 'ttl'))
        local fields = redis.call('HMGET', KEYS[1], unpack(ARGV))
        table.insert(fields, redis.call('PTTL', KEYS[1]))
        return fields
        """;

    IDatabase Database => redis.GetDatabase();

    public async Task<TSaga?> Load(Guid correlationId)
    {
        var fields = await Database.HashGetAsync(options.Key(correlationId), ["data", "encoding"]).ConfigureAwait(false);
        return fields[0].IsNull ? null : Deserialize(fields[0], fields[1]);
    }

    /// <summary>
    /// Loads an instance (or its reservation) and renews its lifetime, as a user's read does; also returns the
    /// <paramref name="fields"/> other writers keep in the instance's hash.
    /// </summary>
    public async Task<StoredSaga<TSaga>?> ReadAndRenew(Guid correlationId, params string[] fields)
    {
        RedisValue[] names = ["data", "encoding", "reservation", .. fields.Select(f => (RedisValue)f)];
        var result = await Database.ScriptEvaluateAsync(ReadAndRenewScript, [options.Key(correlationId)], names).ConfigureAwait(false);
        if (result.IsNull)
            return null;

        var values = (RedisValue[])result!;
        var instance = values[0].IsNull ? null : Deserialize(values[0], values[1]);
        return new StoredSaga<TSaga>(instance, values[2],
            fields.Select((f, i) => (f, values[3 + i])).Where(x => !x.Item2.IsNull).ToDictionary(x => x.f, x => x.Item2),
            TimeSpan.FromMilliseconds((long)values[^1]));
    }

    /// <summary>Holds the id for an instance about to be created; false when the id is already taken.</summary>
    public async Task<bool> Reserve(Guid correlationId, RedisValue reservation, TimeSpan timeToLive) =>
        (int)await Database.ScriptEvaluateAsync(ReserveScript, new
        {
            key = (RedisKey)options.Key(correlationId),
            reservation,
            ttl = (long)timeToLive.TotalMilliseconds,
        }).ConfigureAwait(false) == 1;

    /// <summary>Gives up a reservation whose instance will not be created; an instance already stored stays.</summary>
    public Task ReleaseReservation(Guid correlationId) =>
        Database.ScriptEvaluateAsync(ReleaseReservationScript, new { key = (RedisKey)options.Key(correlationId) });

    /// <summary>Creates the instance if no instance with its id exists; returns false otherwise.</summary>
    public async Task<bool> Insert(TSaga instance)
    {
        instance.Version = 1;
        var (data, encoding) = Serialize(instance);
        var key = options.Key(instance.CorrelationId);
        var written = await WriteOrRecognise(key, instance.Version, data, () => Database.ScriptEvaluateAsync(InsertScript, new
        {
            key = (RedisKey)key,
            tombstone = (RedisKey)options.TombstoneKey(instance.CorrelationId),
            version = instance.Version,
            data,
            encoding,
            ttl = (long)options.TimeToLive(instance).TotalMilliseconds,
        }));

        if (written == 0)
            instance.Version = 0;
        return written == 1;
    }

    public async Task Update(TSaga instance)
    {
        var expected = instance.Version;
        instance.Version = expected + 1;
        var (data, encoding) = Serialize(instance);
        var key = options.Key(instance.CorrelationId);
        var written = await WriteOrRecognise(key, instance.Version, data, () => Database.ScriptEvaluateAsync(UpdateScript, new
        {
            key = (RedisKey)key,
            expected,
            version = instance.Version,
            data,
            encoding,
            ttl = (long)options.TimeToLive(instance).TotalMilliseconds,
        }));

        if (written != 1)
        {
            instance.Version = expected;
            throw new ConcurrencyException(
                written == 0 ? $"Version {expected} of the instance was replaced by another writer" : "The instance no longer exists",
                typeof(TSaga), instance.CorrelationId);
        }
    }

    /// <summary>
    /// Runs a write script. When the connection fails mid-call, the server may still have applied it: if the
    /// stored document is exactly ours at our version, the write happened and counts as done (1). Otherwise the
    /// error stands and the caller's retry re-reads the instance.
    /// </summary>
    async Task<int> WriteOrRecognise(string key, int version, RedisValue data, Func<Task<RedisResult>> write)
    {
        try
        {
            return (int)await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (UnconfirmedSagaWrite.LeavesOutcomeUnknown(ex))
        {
            var stored = await Database.HashGetAsync(key, ["version", "data"]).ConfigureAwait(false);
            if (stored[0] == version && stored[1] == data)
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

    (RedisValue Data, string Encoding) Serialize(TSaga instance)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(instance, options.SerializerOptions);
        if (json.Length <= options.CompressionThreshold)
            return (json, Json);

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
            gzip.Write(json);
        return (compressed.ToArray(), Gzip);
    }

    TSaga Deserialize(RedisValue data, RedisValue encoding)
    {
        if (encoding == Gzip)
        {
            using var gzip = new GZipStream(new MemoryStream((byte[])data!), CompressionMode.Decompress);
            return JsonSerializer.Deserialize<TSaga>(gzip, options.SerializerOptions)!;
        }

        return JsonSerializer.Deserialize<TSaga>((byte[])data!, options.SerializerOptions)!;
    }
}

/// <summary>
/// What a user's read found under an instance's key: the instance (null while only reserved), the reservation,
/// the other fields asked for, and the lifetime left after the read renewed it.
/// </summary>
public record StoredSaga<TSaga>(TSaga? Instance, RedisValue Reservation, IReadOnlyDictionary<string, RedisValue> Fields, TimeSpan ExpiresIn);
