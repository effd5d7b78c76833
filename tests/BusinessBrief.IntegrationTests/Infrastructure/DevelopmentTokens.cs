using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BusinessBrief.IntegrationTests.Infrastructure;

/// <summary>Bearer tokens as <c>./bb token</c> mints them, from the API's <c>Authentication:Schemes:Bearer</c> settings.</summary>
public static class DevelopmentTokens
{
    public static string Create(IConfiguration configuration, string? userId, DateTime? expires = null, string? audience = null,
        byte[]? key = null)
    {
        var bearer = configuration.GetSection("Authentication:Schemes:Bearer");
        key ??= Convert.FromBase64String(bearer["SigningKeys:0:Value"]!);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(userId is null ? [] : [new Claim("sub", userId)]),
            Issuer = bearer["ValidIssuer"],
            Audience = audience ?? bearer["ValidAudiences:0"],
            IssuedAt = expires is null ? now : expires.Value.AddMinutes(-10),
            NotBefore = expires is null ? now : expires.Value.AddMinutes(-10),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A well-formed token for <paramref name="userId"/> that claims no signature at all (<c>"alg": "none"</c>).</summary>
    public static string Unsigned(IConfiguration configuration, string userId)
    {
        var bearer = configuration.GetSection("Authentication:Schemes:Bearer");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = """{"alg":"none","typ":"JWT"}""";
        var payload = $$"""{"sub":"{{userId}}","iss":"{{bearer["ValidIssuer"]}}","aud":"{{bearer["ValidAudiences:0"]}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 3600}}}""";
        return $"{Base64Url(header)}.{Base64Url(payload)}.";
    }

    static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
