using System.Security.Claims;

namespace BusinessBrief.Api.Extensions;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The token's <c>sub</c>: authentication refuses a token without one, so every caller has it.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(AuthenticationExtensions.SubjectClaim)
        ?? throw new InvalidOperationException("An authenticated user always has a subject.");
}
