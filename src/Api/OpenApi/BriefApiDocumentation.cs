using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Api.Briefs;
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

    /// <summary>Tag → what its operations are for, so that a generated client's modules say it too.</summary>
    static readonly Dictionary<string, string> Tags = new()
    {
        ["Briefs"] = "Créer un brief, le suivre, le régénérer, l'annuler ou l'effacer.",
        ["Exports"] = "Emporter un brief : document Markdown ou JSON, logos en SVG.",
        ["Preview"] = "Aperçu d'un brief dans un navigateur, derrière un cookie de session plutôt qu'un jeton dans l'URL.",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = type => IsSectionResult(type.Type)
            ? SectionResultSchema
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddSchemaTransformer(DescribeSchema);
        options.AddDocumentTransformer(DescribeDocument);
        options.AddOperationTransformer(DescribeOperation);
    }

    const string SectionResultSchema = "SectionResult";

    // Sections are the only free-form JSON the API serves.
    static bool IsSectionResult(Type type) => (Nullable.GetUnderlyingType(type) ?? type) == typeof(JsonElement);

    /// <summary>
    /// Ids are positive 64-bit integers, as in the original model. A section result is a JSON object: the generator
    /// would say "any JSON", which null also matches, so that every <c>oneOf [null, result]</c> matched twice.
    /// </summary>
    static Task DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (IsSectionResult(context.JsonTypeInfo.Type))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Description = "Le résultat d'une section : un objet JSON propre à la section, avec sa `confidence` (0..1).";
        }
        else if (context.JsonPropertyInfo is { Name: "coaching_session_id" or "dc360_website_id" } id)
        {
            schema.Format = "int64";
            if (id.DeclaringType == typeof(GenerateBriefRequest))
                schema.Minimum = "1";
            else
                schema.Description = "Entier positif ; 0 pour un brief enregistré avant que les identifiants soient des entiers, " +
                    "dont l'identifiant n'était pas un nombre.";
        }
        return Task.CompletedTask;
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
        // The generator writes the server's base address with its trailing slash, and paths start with one.
        foreach (var server in document.Servers ?? [])
            server.Url = server.Url?.TrimEnd('/');
        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var (name, description) in Tags)
            (document.Tags.FirstOrDefault(t => t.Name == name) ?? Added(document.Tags, new OpenApiTag { Name = name })).Description = description;
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
        // An operation open to anyone says so with an empty requirement, rather than leaving clients to guess.
        operation.Security = requiresUser
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
            : [new OpenApiSecurityRequirement()];

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

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (parameter.In == ParameterLocation.Query && docs.QueryParameters?.GetValueOrDefault(parameter.Name!) is { } query)
                Describe(parameter, query);
    }

    static void Describe(OpenApiParameter parameter, QueryParameterDocs docs)
    {
        parameter.Description = docs.Description;
        if (docs.Integer is not { } integer)
            return;
        parameter.Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = integer.Format,
            Minimum = integer.Minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = integer.Maximum?.ToString(CultureInfo.InvariantCulture),
            Default = integer.Default is { } value ? JsonValue.Create(value) : null,
        };
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
            yield return new(StatusCodes.Status429TooManyRequests, "Trop de requêtes (par utilisateur, ou par adresse sur les routes sans jeton) : réessayez après le délai de `Retry-After`.");
        if (readsBriefs)
            yield return BriefOperations.Unavailable;
    }

    static OpenApiTag Added(ISet<OpenApiTag> tags, OpenApiTag tag)
    {
        tags.Add(tag);
        return tag;
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
