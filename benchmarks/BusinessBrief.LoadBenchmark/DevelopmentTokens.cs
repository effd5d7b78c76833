using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BusinessBrief.LoadBenchmark;

/// <summary>
/// HS256 bearer tokens signed with the API's development key (<c>Authentication:Schemes:Bearer</c> in
/// <c>appsettings.Development.json</c>), as <c>./bb token</c> mints them. One per user, valid for 12 hours.
/// </summary>
public sealed class DevelopmentTokens(byte[] key, string issuer, string audience)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
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

    public string For(string userId) => tokens.GetOrAdd(userId, Mint);

    string Mint(string userId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            sub = userId,
            iss = issuer,
            aud = audience,
            iat = now,
            nbf = now,
            exp = now + (long)Lifetime.TotalSeconds,
        }));
        var signature = Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
