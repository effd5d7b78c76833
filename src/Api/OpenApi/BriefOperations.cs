using System.Text.Json.Nodes;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Preview;
using BusinessBrief.Contracts;

namespace BusinessBrief.Api.OpenApi;

/// <summary>How one operation is described in the OpenAPI document: texts, status codes and examples, in French.</summary>
public record OperationDocs(
    string Summary,
    string Description,
    IReadOnlyDictionary<int, string> Responses,
    JsonNode? RequestExample = null,
    IReadOnlyDictionary<int, JsonNode>? Examples = null,
    IReadOnlyList<string>? FileTypes = null,
    bool ReadsBriefs = true,
    IReadOnlyDictionary<string, QueryParameterDocs>? QueryParameters = null)
{
    public IReadOnlyDictionary<int, JsonNode> ResponseExamples => Examples ?? new Dictionary<int, JsonNode>();
}

/// <summary>
/// A query parameter as clients send it. The handler reads numbers as text, to name every bad parameter in one 400, so
/// the generator would call them strings: <paramref name="Integer"/> says what they are.
/// </summary>
public record QueryParameterDocs(string Description, IntegerRange? Integer = null);

/// <summary>An integer's JSON Schema format (<c>int32</c>, <c>int64</c>) and the values the API accepts.</summary>
public record IntegerRange(string Format, long Minimum, long? Maximum = null, long? Default = null);

/// <summary>The documentation of every brief operation, by endpoint name (the operation id).</summary>
public static class BriefOperations
{
    /// <summary>Any operation that reads or writes a brief answers 503 while Redis or RabbitMQ is unreachable.</summary>
    public static readonly KeyValuePair<int, string> Unavailable =
        new(StatusCodes.Status503ServiceUnavailable, "Redis ou RabbitMQ injoignable (ou Redis presque plein, pour une création) : rien n'a été fait, réessayez après le délai de `Retry-After`.");

    const string NotYours = "Brief inconnu, expiré, ou appartenant à un autre utilisateur.";

    /// <summary>"content_generation ← market_research, …": the graph as the service runs it.</summary>
    static readonly string Dependencies = string.Join(", ", SectionGraph.Brief.Order
        .Where(s => SectionGraph.Brief.InputsOf(s).Count > 0)
        .Select(s => $"`{s}` ← {string.Join(", ", SectionGraph.Brief.InputsOf(s).Select(i => $"`{i}`"))}"));

    public static readonly IReadOnlyDictionary<string, OperationDocs> ByName = new Dictionary<string, OperationDocs>
    {
        [nameof(BriefsApi.GenerateBrief)] = new(
            "Lancer la génération d'un brief",
            "Accepte la séance de coaching et répond aussitôt 202 avec l'identifiant du brief et son URL de suivi ; " +
            "les cinq sections sont produites en arrière-plan. Avec un en-tête `Idempotency-Key`, la même clé pour le " +
            "même utilisateur renvoie le même `brief_id` sans relancer la génération.",
            new Dictionary<int, string>
            {
                [202] = "Brief accepté : suivez `status_url` (en-tête `Location`).",
                [400] = "Champ manquant, trop long ou invalide : `errors` nomme chaque champ.",
                [422] = "`Idempotency-Key` déjà utilisée pour une autre requête.",
                [429] = "Trop de requêtes, ou trop de briefs en cours de génération pour cet utilisateur.",
            },
            FrenchExamples.DakarRequest,
            new Dictionary<int, JsonNode>
            {
                [202] = FrenchExamples.Accepted("generating", 1),
                [400] = FrenchExamples.ValidationProblem,
                [422] = FrenchExamples.Problem(422, "Idempotency-Key reused for a different request",
                    "This key already started a brief with another body; use a new key for a new brief."),
            }),

        [nameof(BriefsApi.GetBrief)] = new(
            "Lire un brief",
            "Le brief complet : le profil de l'entreprise, les cinq sections (null tant qu'elles ne sont pas terminées), " +
            "l'état de chaque section et les indicateurs de qualité. Chaque lecture prolonge sa durée de vie.",
            new Dictionary<int, string>
            {
                [200] = "Le brief, dans son état actuel.",
                [404] = NotYours,
            },
            Examples: new Dictionary<int, JsonNode> { [200] = FrenchExamples.GeneratingBrief }),

        [nameof(BriefsApi.GetResults)] = new(
            "Lire les résultats des agents",
            "Uniquement les résultats des cinq sections ; une section pas encore terminée vaut null.",
            new Dictionary<int, string>
            {
                [200] = "Les cinq résultats.",
                [404] = NotYours,
            },
            Examples: new Dictionary<int, JsonNode> { [200] = FrenchExamples.Results }),

        [nameof(BriefsApi.RegenerateSections)] = new(
            "Régénérer des sections",
            "Relance seulement les sections nommées, avec un commentaire facultatif ; les autres gardent leur contenu " +
            "à l'octet près. Une section qui s'appuie sur une section régénérée (" + Dependencies + ") est alors " +
            "marquée `stale` (`sections.<nom>.stale`, `changed_inputs`) : son contenu reste utilisable et le brief " +
            "reste `ready`. Avec `\"cascade\": true`, ces sections sont régénérées elles aussi, chacune dès que ses " +
            "entrées sont prêtes et à partir de leurs nouveaux résultats, dans la même révision (un seul `BriefReady`). " +
            "Refusé (409) tant qu'une génération est en cours ou si un site a déjà été créé.",
            new Dictionary<int, string>
            {
                [202] = "Régénération acceptée : `revision` est la nouvelle révision.",
                [400] = "Section inconnue ou liste vide : le message liste les sections valides.",
                [404] = NotYours,
                [409] = "Une génération est en cours, ou un site a déjà été créé à partir de ce brief.",
            },
            FrenchExamples.RegenerateRequest,
            new Dictionary<int, JsonNode>
            {
                [202] = FrenchExamples.Accepted("regenerating", 2),
                [409] = FrenchExamples.Problem(409, "The brief cannot be regenerated now",
                    "The brief is generating; wait until it is ready or incomplete."),
            }),

        [nameof(BriefsApi.CancelBrief)] = new(
            "Annuler une génération en cours",
            "Arrête la génération (ou régénération) en cours : les agents interrompent leurs tâches, y compris un appel au " +
            "modèle de langage en vol, et les résultats qui arriveraient encore sont ignorés. Le brief passe à `cancelled` " +
            "dès que l'orchestrateur a appliqué l'annulation (quelques millisecondes) ; les sections non terminées passent à " +
            "`cancelled`, les sections terminées gardent leur contenu. Un brief annulé peut être régénéré : les sections " +
            "nommées et toutes celles que l'annulation a laissées inachevées sont relancées. Annuler un brief déjà annulé " +
            "répond de nouveau 202.",
            new Dictionary<int, string>
            {
                [202] = "Annulation acceptée (ou déjà faite) : suivez `status_url` jusqu'à `cancelled`.",
                [404] = NotYours,
                [409] = "Aucune génération en cours : le brief est prêt, incomplet ou utilisé.",
            },
            Examples: new Dictionary<int, JsonNode>
            {
                [202] = FrenchExamples.Accepted("cancelled", 1),
                [409] = FrenchExamples.Problem(409, "The brief has nothing left to cancel",
                    "The brief is ready: no generation is running. To remove it, delete it."),
            }),

        [nameof(BriefsApi.ArchiveBrief)] = new(
            "Archiver un brief maintenant",
            "Déplace le brief terminé (prêt, incomplet, annulé ou utilisé) dans l'archive à long terme (PostgreSQL) et libère " +
            "sa place dans Redis : il reste lisible par son propriétaire (`expires_at` vaut alors `null`) et peut être " +
            "régénéré. S'il change au même moment (site créé, régénération acceptée), Redis le garde et son nouvel état est " +
            "archivé à la fin de sa révision. Archiver deux fois ne change rien.",
            new Dictionary<int, string>
            {
                [202] = "Brief archivé : l'archive le détient déjà quand la réponse part.",
                [404] = NotYours,
                [409] = "Le brief est en cours de génération : il sera archivé de lui-même à la fin de sa révision.",
            },
            Examples: new Dictionary<int, JsonNode>
            {
                [202] = FrenchExamples.Accepted("ready", 1),
                [409] = FrenchExamples.Problem(409, "The brief cannot be archived now",
                    "The brief is generating; it is archived on its own once it is ready, incomplete or cancelled."),
            }),

        [nameof(BriefListsApi.ListBriefs)] = new(
            "Lister ses briefs",
            "Les briefs de l'utilisateur, du plus récent au plus ancien : ceux que Redis garde (en cours, ou terminés à " +
            "l'instant) et ceux de l'archive, chacun une fois, dans son état le plus récent. Avec `coaching_session_id`, " +
            "seulement ceux de cette séance de coaching. Pagination par curseur : `limit` (1 à " + BriefListsApi.MaxPageSize +
            ", " + BriefListsApi.DefaultPageSize + " par défaut) éléments par page, et `next_cursor` à repasser tel quel en " +
            "`cursor` pour la page suivante (null sur la dernière). Jamais les briefs d'un autre utilisateur.",
            new Dictionary<int, string>
            {
                [200] = "Une page de résumés (`items`) et le curseur de la suivante.",
                [400] = "`limit`, `cursor` ou `coaching_session_id` invalide : `errors` nomme chaque paramètre.",
            },
            Examples: new Dictionary<int, JsonNode> { [200] = FrenchExamples.BriefList },
            QueryParameters: new Dictionary<string, QueryParameterDocs>
            {
                ["coaching_session_id"] = new("Seulement les briefs de cette séance de coaching.", new IntegerRange("int64", 1)),
                ["limit"] = new("Nombre d'éléments par page.",
                    new IntegerRange("int32", 1, BriefListsApi.MaxPageSize, BriefListsApi.DefaultPageSize)),
                ["cursor"] = new("Le `next_cursor` de la page précédente, tel quel ; absent pour la première page."),
            }),

        [nameof(BriefsApi.DeleteBrief)] = new(
            "Supprimer un brief",
            "Droit à l'effacement : le brief et toutes ses clés Redis (document, clé d'idempotence, échéances, brief en cours) " +
            "sont effacés immédiatement, ses tâches en cours sont arrêtées et l'événement `BriefDeleted` prévient les " +
            "abonnés. Les messages qui arrivent ensuite pour ce brief sont ignorés ; il ne peut pas réapparaître.",
            new Dictionary<int, string>
            {
                [204] = "Brief effacé.",
                [404] = NotYours,
            }),

        [nameof(BriefEventsApi.StreamBriefEvents)] = new(
            "Suivre la progression en direct",
            "Server-Sent Events : un événement `section` chaque fois qu'une section change d'état " +
            "ou devient `stale` (`{\"section\":\"logo_creation\",\"status\":\"completed\",\"attempts\":1,\"revision\":1,\"error\":null,\"stale\":false}`), " +
            "un événement `brief` à chaque changement du brief (`{\"status\":\"ready\",\"revision\":1,\"brief_completeness\":1}`) ; " +
            "le flux se termine quand le brief est prêt, incomplet, utilisé ou annulé. À la reconnexion, `Last-Event-ID` évite de " +
            "renvoyer un état déjà reçu. Fonctionne derrière plusieurs instances de l'API (Redis pub/sub).",
            new Dictionary<int, string>
            {
                [200] = "Le flux d'événements (`text/event-stream`).",
                [204] = "Le brief est terminé et le client a déjà reçu son dernier état : plus rien à suivre.",
                [404] = NotYours,
                [429] = "Trop de requêtes, ou trop de flux ouverts à la fois par cet utilisateur (`BriefApi:MaxEventStreamsPerUser`).",
            }),

        [nameof(BriefExportsApi.ExportBrief)] = new(
            "Exporter un brief",
            "Le brief comme document à lire ou à conserver : `format=markdown` (par défaut) ou `format=json`, " +
            "en pièce jointe.",
            new Dictionary<int, string>
            {
                [200] = "Le document (`text/markdown` ou `application/json`).",
                [400] = "Format inconnu : le message liste les formats valides.",
                [404] = NotYours,
            },
            FileTypes: ["text/markdown", "application/json"]),

        [nameof(BriefExportsApi.GetLogo)] = new(
            "Télécharger un logo",
            "Le concept de logo numéro `number` (à partir de 1) en image SVG autonome, servie dans un bac à sable " +
            "(aucun script, aucune ressource externe).",
            new Dictionary<int, string>
            {
                [200] = "L'image SVG.",
                [404] = "Pas de tel logo, ou brief inconnu, expiré ou appartenant à un autre utilisateur.",
            },
            FileTypes: ["image/svg+xml"]),

        [nameof(BriefPreviewApi.OpenPreviewSession)] = new(
            "Ouvrir une session d'aperçu",
            "Pour afficher des briefs dans un navigateur (`GET /briefs/{brief_id}`) sans lui confier le jeton : ouvre une " +
            "session d'aperçu pour les briefs nommés (`brief_id`, répétable, 1 à 20) et la remet dans un cookie " +
            "`__Host-bb_preview` HttpOnly, SameSite=Strict, Secure, qui ne vaut que pour ces pages et ces briefs et expire " +
            "au bout de 15 minutes (ou avec le jeton, si c'est plus tôt). L'API JSON ne l'accepte pas.",
            new Dictionary<int, string>
            {
                [204] = "Session ouverte (cookie `__Host-bb_preview`).",
                [400] = "Aucun `brief_id`, ou plus de 20.",
                [404] = "Un des briefs est inconnu, expiré ou appartient à un autre utilisateur.",
            }),

        [nameof(BriefPreviewApi.ClosePreviewSession)] = new(
            "Fermer la session d'aperçu",
            "Met fin à la session d'aperçu du cookie, côté serveur : une copie du cookie ne vaut plus rien non plus.",
            new Dictionary<int, string> { [204] = "Session fermée." },
            ReadsBriefs: false),
    };
}
