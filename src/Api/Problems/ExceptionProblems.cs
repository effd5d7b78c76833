using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using BusinessBrief.Persistence;

namespace BusinessBrief.Api.Problems;

/// <summary>
/// Turns every exception that reaches the exception handler into problem+json, whatever the client accepts:
/// a request the framework could not bind (body too large, not JSON, malformed or mistyped JSON, unknown
/// fields) gets its status and a text written here — never the exception's message, which can name internal
/// types or echo request text —, Redis out of reach is a 503 to retry, and anything else is a 500 with a trace id
/// and nothing more.
/// </summary>
public class ExceptionProblems(ProblemMessages messages, IOptions<JsonOptions> json, ILogger<ExceptionProblems> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        IResult problem;
        if (exception is BadHttpRequestException bad)
        {
            logger.LogInformation("Request rejected with {StatusCode}: {Reason}", bad.StatusCode, bad.Message);
            problem = BadRequest(http, bad);
        }
        else if (StorageFaults.IsUnavailable(exception))
        {
            // Redis restarting or failing over: the client should retry, nothing is broken for good.
            logger.LogWarning(exception, "Briefs are unreachable");
            problem = TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: messages.UnavailableTitle, detail: messages.Unavailable);
        }
        else
        {
            logger.LogError(exception, "Unhandled exception");
            problem = TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError,
                title: messages.UnexpectedErrorTitle, detail: messages.UnexpectedError);
        }
        await problem.ExecuteAsync(http);
        return true;
    }

    // Other statuses (413, 415) get their texts from StatusProblems, as when the framework answers them itself.
    IResult BadRequest(HttpContext http, BadHttpRequestException bad) => bad switch
    {
        { InnerException: JsonException error } => Invalid(Explain(error,
            http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType)),
        { StatusCode: StatusCodes.Status400BadRequest } => Invalid(("$", messages.BodyMissing)),
        _ => TypedResults.Problem(statusCode: bad.StatusCode),
    };

    ValidationProblem Invalid((string Field, string Message) error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [error.Field] = [error.Message] },
            title: messages.ValidationTitle);

    /// <summary>
    /// Which field of the body broke, and how: a syntax error (where the text stops being JSON), a field the
    /// request does not have, or a value of the wrong JSON type. Field names are the wire names
    /// (<c>location.city</c>, <c>sections[2]</c>); <c>$</c> is the body as a whole.
    /// </summary>
    (string Field, string Message) Explain(JsonException error, Type? bodyType)
    {
        var path = JsonPath.Parse(error.Path);
        var field = JsonPath.Format(path);
        if (error.InnerException is JsonException)
            return (field, messages.MalformedJson((error.LineNumber ?? 0) + 1, (error.BytePositionInLine ?? 0) + 1));

        var target = bodyType is null ? null : JsonPath.Resolve(json.Value.SerializerOptions, bodyType, path);
        return target switch
        {
            null => (field, messages.UnknownField(field)),
            { Kind: JsonTypeInfoKind.Object } when path.Count == 0 => (field, messages.BodyMustBeObject),
            { Kind: JsonTypeInfoKind.Object } => (field, messages.MustBeObject(field)),
            { Kind: JsonTypeInfoKind.Enumerable } => (field, messages.MustBeArray(field)),
            _ when target.Type == typeof(string) => (field, messages.MustBeString(field)),
            // Every integer a request carries is an id: a string, a fraction or a number beyond 64 bits lands here.
            _ when (Nullable.GetUnderlyingType(target.Type) ?? target.Type) == typeof(long) => (field, messages.MustBePositiveInteger(field)),
            _ => (field, messages.WrongType(field)),
        };
    }
}
