namespace BusinessBrief.Contracts;

public record BusinessLocation
{
    public required string City { get; init; }
    public required string Country { get; init; }
}
