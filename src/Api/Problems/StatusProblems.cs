using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace BusinessBrief.Api.Problems;

/// <summary>
/// Texts for the problems ASP.NET Core writes itself with only a status: a refused token (401), a body over the
/// endpoint's size limit (413, from Kestrel) or not JSON (415, from routing). Every 503 also says when to try
/// again (<c>Retry-After</c>): nothing was accepted, and a client that retries at once only adds load.
/// </summary>
public static class StatusProblems
{
    const int RetryAfterSeconds = 10;

    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var messages = context.HttpContext.RequestServices.GetRequiredService<ProblemMessages>();
        switch (problem.Status)
        {
            case StatusCodes.Status401Unauthorized:
                problem.Detail ??= messages.BearerTokenRequired;
                break;
            case StatusCodes.Status413PayloadTooLarge:
                problem.Title = messages.BodyTooLargeTitle;
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit)
                    problem.Detail ??= messages.BodyTooLarge((int)(limit / 1024));
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Title = messages.UnsupportedMediaTypeTitle;
                problem.Detail ??= messages.UnsupportedMediaType;
                break;
            case StatusCodes.Status503ServiceUnavailable when !context.HttpContext.Response.Headers.ContainsKey(HeaderNames.RetryAfter):
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
                break;
        }
    }
}
