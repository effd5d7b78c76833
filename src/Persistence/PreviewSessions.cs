using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>
/// The credentials of the browser preview: an opaque random token good for a few minutes and for reading the briefs it
/// names, nothing else. Redis keeps only a hash of it, so a copy of Redis (a backup, a replica) opens no session.
/// </summary>
public class PreviewSessions(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> options, TimeProvider clock)
{
    /// <summary>256 random bits, base64url: 43 characters; anything longer is not ours and is not even hashed.</summary>
    const int TokenBytes = 32;
    static readonly int TokenLength = Base64Url.GetEncodedLength(TokenBytes);

    /// <summary>Opens a session for <paramref name="briefIds"/>; it ends after the configured lifetime, or at <paramref name="notAfter"/> if sooner.</summary>
    public async Task<OpenedPreviewSession> Open(string userId, IReadOnlyList<Guid> briefIds, DateTimeOffset? notAfter)
    {
        var now = clock.GetUtcNow();
        var expires = now + options.Value.PreviewSessionLifetime;
        if (notAfter < expires)
            expires = notAfter.Value;
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        var session = new PreviewSession(userId, briefIds);
        await redis.GetDatabase().StringSetAsync(RedisKey(token), JsonSerializer.Serialize(session), expires - now);
        return new OpenedPreviewSession(token, expires);
    }

    /// <summary>The session the token opens, or null: unknown, expired, closed or malformed.</summary>
    public async Task<PreviewSession?> Find(string? token)
    {
        if (token?.Length != TokenLength)
            return null;
        var stored = await redis.GetDatabase().StringGetAsync(RedisKey(token));
        return stored.IsNull ? null : JsonSerializer.Deserialize<PreviewSession>(stored.ToString());
    }

    /// <summary>Ends the session at once, for every browser that holds the token.</summary>
    public async Task Close(string? token)
    {
        if (token?.Length == TokenLength)
            await redis.GetDatabase().KeyDeleteAsync(RedisKey(token));
    }

    public string RedisKey(string token) =>
        $"{options.Value.UserKeyPrefix}preview:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}";
}

/// <summary>Who opened the session and the briefs it may show.</summary>
public record PreviewSession(string UserId, IReadOnlyList<Guid> BriefIds)
{
    public bool Shows(Guid briefId) => BriefIds.Contains(briefId);
}

/// <summary>The token to hand to the browser, once: only its hash is kept.</summary>
public record OpenedPreviewSession(string Token, DateTimeOffset Expires);
