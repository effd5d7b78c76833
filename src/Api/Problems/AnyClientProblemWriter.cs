using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BusinessBrief.Api.Problems;

/// <summary>
/// The framework's problem writer only answers clients that accept JSON; this API has no other format, so a
/// client asking for HTML (a browser) gets the same problem+json, trace id included, instead of a bare body.
/// Registered after the framework's writer, it only writes what that one declines.
/// </summary>
public class AnyClientProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        // Named as the framework's writer names it: through the API's naming policy (trace_id).
        var traceId = json.Value.SerializerOptions.PropertyNamingPolicy?.ConvertName("traceId") ?? "traceId";
        problem.Extensions.TryAdd(traceId, Activity.Current?.Id ?? http.TraceIdentifier);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        // By its runtime type: written as a ProblemDetails, a validation problem lost its errors.
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json"));
    }
}
