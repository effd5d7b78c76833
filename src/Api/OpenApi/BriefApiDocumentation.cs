using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BusinessBrief.Api.OpenApi;

/// <summary>
/// What <c>/openapi/v1.json</c> says beyond what the endpoints' types tell the generator: the bearer scheme, a
/// summary and description per operation, every status code a client can get (401 from authorization, 503 when
/// Redis or RabbitMQ is away, the problem responses the handlers build themselves) and examples in French.
/// </summary>
public static class BriefApiDocumentation
{
    public const string BearerScheme = "Bearer";
    const string ProblemSchema = "ProblemDetails";
    const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer(DescribeDocument);
        options.AddOperationTransformer(DescribeOperation);
    }

    static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "BusinessBrief API",
            Version = "v1",
            Description = """
                Transforme une séance de coaching en brief d'entreprise : étude de marché, contenu du site, logo,
                référencement et modèles de site, produits par cinq agents. `POST /generate` répond tout de suite (202) ;
                suivez ensuite le brief avec `GET /{brief_id}` jusqu'à `ready` ou `incomplete`.
                Chaque requête porte un jeton `Authorization: Bearer …` (`./bb token <utilisateur>` en développement) ;
                un brief n'est visible que de son auteur (404 pour tout autre utilisateur).
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Jeton JWT (HS256) dont le `sub` est l'identifiant de l'utilisateur.",
        };
        return Task.CompletedTask;
    }

    static async Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var name = metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (name is null || !BriefOperations.ByName.TryGetValue(name, out var docs))
            return;

        operation.Summary = docs.Summary;
        operation.Description = docs.Description;
        operation.Responses ??= new OpenApiResponses();

        var problem = await ProblemReference(context, cancellationToken);
        var requiresUser = (metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<AuthorizationPolicy>().Any()) &&
            !metadata.OfType<IAllowAnonymous>().Any();
        if (requiresUser)
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];

        // The operation's own descriptions come last: they are more precise than the generic ones.
        foreach (var (status, description) in PipelineResponses(operation, metadata, requiresUser, docs.ReadsBriefs).Concat(docs.Responses))
        {
            var key = StatusKey(status);
            if (operation.Responses.TryGetValue(key, out var generated) && generated is OpenApiResponse known)
                known.Description = description;
            else
                operation.Responses[key] = status >= 400
                    ? new OpenApiResponse
                    {
                        Description = description,
                        Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } },
                    }
                    : new OpenApiResponse { Description = description, Content = Files(docs.FileTypes) };
        }

        foreach (var (status, example) in docs.ResponseExamples)
            if (operation.Responses.TryGetValue(StatusKey(status), out var response) &&
                response.Content is { } content)
                foreach (var mediaType in content.Values)
                    mediaType.Example = example.DeepClone();

        if (docs.RequestExample is { } request && operation.RequestBody?.Content is { } body)
            foreach (var mediaType in body.Values)
                mediaType.Example = request.DeepClone();
    }

    /// <summary>What the middleware in front of the handler answers: authentication, rate limits, body checks, outages.</summary>
    static IEnumerable<KeyValuePair<int, string>> PipelineResponses(OpenApiOperation operation, IList<object> metadata,
        bool requiresUser, bool readsBriefs)
    {
        if (requiresUser)
            yield return new(StatusCodes.Status401Unauthorized, "Jeton absent, expiré ou invalide.");
        if (operation.RequestBody is not null)
        {
            yield return new(StatusCodes.Status413PayloadTooLarge, "Corps de requête trop volumineux.");
            yield return new(StatusCodes.Status415UnsupportedMediaType, "Le corps doit être du JSON (`Content-Type: application/json`).");
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
            yield return new(StatusCodes.Status429TooManyRequests, "Trop de requêtes pour cet utilisateur : réessayez après le délai de `Retry-After`.");
        if (readsBriefs)
            yield return BriefOperations.Unavailable;
    }

    static string StatusKey(int status) => status.ToString(CultureInfo.InvariantCulture);

    /// <summary>A document or image download: the generator cannot tell its media types from the handler's result type.</summary>
    static Dictionary<string, OpenApiMediaType>? Files(IReadOnlyList<string>? mediaTypes) =>
        mediaTypes?.ToDictionary(type => type, _ => new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
        });

    static async Task<IOpenApiSchema> ProblemReference(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Document is not { } document)
            return await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
            document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
        return new OpenApiSchemaReference(ProblemSchema, document);
    }
}
