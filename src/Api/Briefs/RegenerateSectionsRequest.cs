namespace BusinessBrief.Api.Briefs;

/// <summary>Body of <c>POST /{brief_id}/regenerate</c>.</summary>
public record RegenerateSectionsRequest(IReadOnlyList<string>? Sections, string? Feedback);
