using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// HS256 bearer tokens signed with the API's development key (<c>Authentication:Schemes:Bearer</c> in
/// <c>appsettings.Development.json</c>): what <c>./bb token</c> prints (through this tool's <c>token</c> command), what
/// the benchmark's clients send and what the integration tests sign in with.
/// </summary>
public sealed class DevelopmentTokens(byte[] key, string issuer, string audience)
{
    /// <summary>The API's development settings, relative to the repository root.</summary>
    public const string SettingsFile = "src/Api/appsettings.Development.json";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    readonly ConcurrentDictionary<string, string> tokens = new();

    public static DevelopmentTokens FromSettings(string path)
    {
        var bearer = JsonNode.Parse(File.ReadAllText(path))?["Authentication"]?["Schemes"]?["Bearer"]
            ?? throw new InvalidDataException($"{path} has no Authentication:Schemes:Bearer section");
        var key = bearer["SigningKeys"]?[0]?["Value"]?.GetValue<string>()
            ?? throw new InvalidDataException($"{path} has no Authentication:Schemes:Bearer:SigningKeys[0].Value");
        return new DevelopmentTokens(Convert.FromBase64String(key),
            bearer["ValidIssuer"]?.GetValue<string>() ?? "businessbrief-dev",
            bearer["ValidAudiences"]?[0]?.GetValue<string>() ?? "businessbrief-api");
    }

    /// <summary>One token per user, minted once: a benchmark run asks for the same users thousands of times.</summary>
    public string For(string userId) => tokens.GetOrAdd(userId, user => Mint(user));

    /// <summary>
    /// A token for <paramref name="userId"/> valid for <see cref="Lifetime"/>. The optional arguments make the tokens the API
    /// must refuse: no <c>sub</c> (null user), expired at <paramref name="expires"/>, for another audience, signed with another key,
    /// or with another HMAC <paramref name="algorithm"/> than the HS256 the API is pinned to (HS384, HS512).
    /// </summary>
    public string Mint(string? userId, DateTimeOffset? expires = null, string? audience = null, byte[]? signingKey = null,
        string algorithm = "HS256")
    {
        var signing = $"{Header(algorithm)}.{Payload(userId, expires, audience)}";
        var data = Encoding.ASCII.GetBytes(signing);
        var signature = algorithm switch
        {
            "HS256" => HMACSHA256.HashData(signingKey ?? key, data),
            "HS384" => HMACSHA384.HashData(signingKey ?? key, data),
            "HS512" => HMACSHA512.HashData(signingKey ?? key, data),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Expected HS256, HS384 or HS512"),
        };
        return $"{signing}.{Base64Url(signature)}";
    }

    /// <summary>A well-formed token for <paramref name="userId"/> that claims no signature at all (<c>"alg": "none"</c>).</summary>
    public string Unsigned(string userId) => $"{Header("none")}.{Payload(userId, null, null)}.";

    static string Header(string algorithm) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" }));

    string Payload(string? userId, DateTimeOffset? expires, string? otherAudience)
    {
        // An expired token was valid for a while before it expired, as a real one would have been.
        var issued = expires?.AddMinutes(-10) ?? DateTimeOffset.UtcNow;
        var payload = new JsonObject();
        if (userId is not null)
            payload["sub"] = userId;
        payload["iss"] = issuer;
        payload["aud"] = otherAudience ?? audience;
        payload["iat"] = issued.ToUnixTimeSeconds();
        payload["nbf"] = issued.ToUnixTimeSeconds();
        payload["exp"] = (expires ?? issued + Lifetime).ToUnixTimeSeconds();
        return Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
