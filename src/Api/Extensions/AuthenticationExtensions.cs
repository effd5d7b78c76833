using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace BusinessBrief.Api.Extensions;

public static class AuthenticationExtensions
{
    public const string SubjectClaim = "sub";

    /// <summary>
    /// JWT bearer from the standard <c>Authentication:Schemes:Bearer</c> section (issuer, audiences, signing keys).
    /// Outside Development the process refuses to start without a configured signing key.
    /// </summary>
    public static IHostApplicationBuilder AddBriefAuthentication(this IHostApplicationBuilder builder)
    {
        var bearer = builder.Configuration.GetSection("Authentication:Schemes:Bearer");
        if (!bearer.GetSection("SigningKeys").GetChildren().Any() && !builder.Environment.IsDevelopment())
            throw new InvalidOperationException(
                "Authentication:Schemes:Bearer:SigningKeys is not configured; the API will not start without a signing key.");

        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = SubjectClaim;
            // Pinned: a token signed with another algorithm, or unsigned ("alg": "none"), is not even considered.
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            // The default skew is 5 minutes: an expired token would keep working that long.
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            o.Events = new JwtBearerEvents
            {
                // Briefs belong to the subject: a token that names nobody cannot be used.
                OnTokenValidated = context =>
                {
                    if (string.IsNullOrWhiteSpace(context.Principal?.FindFirst(SubjectClaim)?.Value))
                        context.Fail("The token has no subject.");
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
        return builder;
    }
}
