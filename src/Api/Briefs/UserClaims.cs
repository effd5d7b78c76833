using System.Security.Claims;

namespace BusinessBrief.Api.Briefs;

public static class UserClaims
{
    /// <summary>The user id: the token's <c>sub</c>. Every brief belongs to the user who created it.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated user always has a subject.");
}
