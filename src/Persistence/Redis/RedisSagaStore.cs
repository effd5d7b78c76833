using System.IO.Compression;
using System.Text.Json;
using MassTransit;
using StackExchange.Redis;

namespace BusinessBrief.Persistence.Redis;

/// <summary>
/// Reads and writes saga instances as Redis hashes (<c>version</c>, <c>data</c>, <c>encoding</c>, <c>ttl</c>).
/// Every write is a compare-and-set in one Lua script, so concurrent consumers never lose an update and a
/// duplicate start never creates a second instance. The repository increments <see cref="ISagaVersion.Version"/>:
/// MassTransit does not.
/// </summary>
public class RedisSagaStore<TSaga>(IConnectionMultiplexer redis, RedisSagaRepositoryOptions<TSaga> options)
    where TSaga : class, ISagaVersion
{
    const string Json = "json";
    const string Gzip = "gzip";

    // ARGV: version, data, encoding, ttl ms. Returns 1 when written, 0 when the instance already exists.
    static readonly LuaScript InsertScript = LuaScript.Prepare("""
        if redis.call('EXISTS', @key) == 1 then return 0 end
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

    // Reading renews the sliding lifetime with the ttl the last write chose (used briefs keep a longer one).
    static readonly LuaScript ReadAndRenewScript = LuaScript.Prepare("""
        local fields = redis.call('HMGET', @key, 'data', 'encoding', 'ttl')
        if not fields[1] then return nil end
        redis.call('PEXPIRE', @key, fields[3])
        return { fields[1], fields[2], redis.call('PTTL', @key) }
        """);

    IDatabase Database => redis.GetDatabase();

    public async Task<TSaga?> Load(Guid correlationId)
    {
        var fields = await Database.HashGetAsync(options.Key(correlationId), ["data", "encoding"]).ConfigureAwait(false);
        return fields[0].IsNull ? null : Deserialize(fields[0], fields[1]);
    }

    /// <summary>Loads an instance and renews its lifetime, as a user's read does.</summary>
    public async Task<StoredSaga<TSaga>?> ReadAndRenew(Guid correlationId)
    {
        var result = await Database.ScriptEvaluateAsync(ReadAndRenewScript, new { key = (RedisKey)options.Key(correlationId) })
            .ConfigureAwait(false);
        if (result.IsNull)
            return null;

        var fields = (RedisResult[])result!;
        return new StoredSaga<TSaga>(Deserialize((RedisValue)fields[0], (RedisValue)fields[1]), TimeSpan.FromMilliseconds((long)fields[2]));
    }

    /// <summary>Creates the instance if no instance with its id exists; returns false otherwise.</summary>
    public async Task<bool> Insert(TSaga instance)
    {
        instance.Version = 1;
        var (data, encoding) = Serialize(instance);
        var written = (int)await Database.ScriptEvaluateAsync(InsertScript, new
        {
            key = (RedisKey)options.Key(instance.CorrelationId),
            version = instance.Version,
            data,
            encoding,
            ttl = (long)options.TimeToLive(instance).TotalMilliseconds,
        }).ConfigureAwait(false);

        if (written == 0)
            instance.Version = 0;
        return written == 1;
    }

    public async Task Update(TSaga instance)
    {
        var expected = instance.Version;
        instance.Version = expected + 1;
        var (data, encoding) = Serialize(instance);
        var written = (int)await Database.ScriptEvaluateAsync(UpdateScript, new
        {
            key = (RedisKey)options.Key(instance.CorrelationId),
            expected,
            version = instance.Version,
            data,
            encoding,
            ttl = (long)options.TimeToLive(instance).TotalMilliseconds,
        }).ConfigureAwait(false);

        if (written != 1)
        {
            instance.Version = expected;
            throw new ConcurrencyException(
                written == 0 ? $"Version {expected} of the instance was replaced by another writer" : "The instance no longer exists",
                typeof(TSaga), instance.CorrelationId);
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

/// <summary>A saga instance as read by a user, with the lifetime it has left after the read renewed it.</summary>
public record StoredSaga<TSaga>(TSaga Instance, TimeSpan ExpiresIn);
