using System.ComponentModel;

namespace BusinessBrief.Api.Briefs;

/// <summary>Body of <c>POST /{brief_id}/regenerate</c>.</summary>
public record RegenerateSectionsRequest(
    IReadOnlyList<string>? Sections,
    string? Feedback,
    [property: Description(RegenerateSectionsRequest.CascadeDescription)] bool? Cascade = null)
{
    public const string CascadeDescription =
        "true : régénère aussi les sections qui s'appuient sur les sections nommées, après elles et à partir de leurs " +
        "nouveaux résultats, dans la même révision. false (par défaut) : ces sections gardent leur contenu et sont " +
        "marquées `stale`.";
}
