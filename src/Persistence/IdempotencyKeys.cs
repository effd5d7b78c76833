using System.Security.Cryptography;
using System.Text.Json;
using BusinessBrief.Persistence.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// Remembers which brief an idempotency key created, per user, so a client that retries a request it never got an
/// answer to gets the same brief instead of a second one.
/// </summary>
public class IdempotencyKeys(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> options, ReplicaAcknowledgement replicas)
{
    public const int MaxKeyLength = 200;
    static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Visible ASCII only: what UUIDs and random tokens are made of, and safe in any log line.</summary>
    public static bool IsWellFormed(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and <= '~');

    /// <summary>Claims the key for a new brief, or tells which brief already holds it and for which request.</summary>
    public async Task<IdempotencyClaim> Claim(string userId, string key, Guid briefId, object request)
    {
        var fingerprint = Fingerprint(request);
        var value = $"{briefId}|{fingerprint}";
        var redisKey = RedisKey(userId, key);
        var existing = await redis.GetDatabase().StringSetAndGetAsync(redisKey, value, expiry: Retention, when: When.NotExists);
        if (existing.IsNull)
        {
            await ConfirmOrFree(redisKey);
            return new IdempotencyClaim(briefId, IsNew: true, SameRequest: true);
        }

        var parts = existing.ToString().Split('|', 2);
        return new IdempotencyClaim(Guid.Parse(parts[0]), IsNew: false, SameRequest: parts[1] == fingerprint);
    }

    // A claim no replica confirmed is freed, so that the client's retry after the 503 starts the brief rather than finding
    // the id of one that was never started.
    async Task ConfirmOrFree(RedisKey redisKey)
    {
        try
        {
            await replicas.Confirm(redisKey);
        }
        catch
        {
            await redis.GetDatabase().KeyDeleteAsync(redisKey, CommandFlags.FireAndForget);
            throw;
        }
    }

    /// <summary>Frees a key whose brief could not be started, so that the client's retry can start it.</summary>
    public Task Release(string userId, string key) => redis.GetDatabase().KeyDeleteAsync(RedisKey(userId, key));

    /// <summary>
    /// The Redis key that holds a client's key: hashed, so that no user id or key, whatever characters it holds, can
    /// spell another user's Redis key. The brief records it, to erase it with the brief.
    /// </summary>
    public string RedisKey(string userId, string key) =>
        $"{options.Value.UserKeyPrefix}idempotency:{Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new[] { userId, key })))}";

    static string Fingerprint(object request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
}

public record IdempotencyClaim(Guid BriefId, bool IsNew, bool SameRequest);
