using System.Text.Json;

namespace BusinessBrief.Contracts;

/// <summary>
/// One input of a sub-agent job: the current result of a section the job's section builds on
/// (<see cref="SectionGraph"/>), or, when that section has no usable result, why not. A job is sent once all its
/// inputs are settled; an input that failed does not hold its dependents back: they are written without it and say so.
/// </summary>
public record SectionInput
{
    public required string Section { get; init; }
    /// <summary>The revision of the brief in which <see cref="Result"/> was written.</summary>
    public required int Revision { get; init; }
    /// <summary>The input section's result; null when it failed.</summary>
    public JsonElement? Result { get; init; }
    /// <summary>Why there is no result, when there is none.</summary>
    public string? Error { get; init; }
}
