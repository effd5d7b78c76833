using System.Globalization;
using BusinessBrief.ServiceDefaults;

namespace BusinessBrief.TransportFloor;

public sealed record FloorOptions
{
    public const string Usage = """
        usage: BusinessBrief.TransportFloor [options]   (normally ./bb floor, with RabbitMQ running)

          --briefs N          measured briefs (default 3000)
          --warmup N          briefs before the measurement (default 500)
          --concurrency C     briefs in flight, as ./bb bench's clients (default 64)
          --small-sections    every section a few bytes instead of what the offline agents write: the same
                              messages without the sections' weight (jobs' inputs, answers, BriefReady)
          --half-rate-seconds S
                              the measured open loop at half the max rate, after 5 s unmeasured; 0 to skip
                              (default 20)
          --fixed-rate R      that run at R briefs/s instead (e.g. the rate of ./bb bench's half-rate run, to compare)
          --json FILE         also write the report as JSON
          --rabbitmq URI      default $ConnectionStrings__rabbitmq or amqp://guest:guest@localhost:5672/ (a user that
                              may create virtual hosts: the run creates a virtual host and deletes it at the end)
          --management URL    default http://guest:guest@localhost:15672/api/
          --virtual-host NAME the virtual host the run creates and deletes (default bb-floor)
          --pid-dir DIR       where rabbitmq.pid is, to count the broker's CPU too (default .data/run)
        """;

    public int Briefs { get; init; } = 3000;

    public int Warmup { get; init; } = 500;

    public int Concurrency { get; init; } = 64;

    public bool SmallSections { get; init; }

    public int HalfRateSeconds { get; init; } = 20;

    public double? FixedRate { get; init; }

    public string VirtualHost { get; init; } = "bb-floor";

    public string? Json { get; init; }

    public required RabbitMqAddress RabbitMq { get; init; }

    public Uri Management { get; init; } = new("http://guest:guest@localhost:15672/api/");

    public string PidDirectory { get; init; } = ".data/run";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The options, or null (after saying why) when an argument is unknown or malformed.</summary>
    public static FloorOptions? Parse(string[] args)
    {
        var options = new FloorOptions
        {
            RabbitMq = RabbitMqAddress.Parse(Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "amqp://guest:guest@localhost:5672/"),
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--small-sections")
            {
                options = options with { SmallSections = true };
                continue;
            }
            var value = i + 1 < args.Length ? args[i + 1] : null;
            options = (args[i], value) switch
            {
                ("--briefs", { } n) when int.TryParse(n, out var briefs) && briefs > 0 => options with { Briefs = briefs },
                ("--warmup", { } n) when int.TryParse(n, out var warmup) && warmup >= 0 => options with { Warmup = warmup },
                ("--concurrency", { } n) when int.TryParse(n, out var concurrency) && concurrency > 0 => options with { Concurrency = concurrency },
                ("--half-rate-seconds", { } n) when int.TryParse(n, out var seconds) && seconds >= 0 => options with { HalfRateSeconds = seconds },
                ("--fixed-rate", { } r) when double.TryParse(r, CultureInfo.InvariantCulture, out var rate) && rate > 0 => options with { FixedRate = rate },
                ("--virtual-host", { Length: > 0 } name) => options with { VirtualHost = name },
                ("--json", { } file) => options with { Json = file },
                ("--rabbitmq", { } uri) => options with { RabbitMq = RabbitMqAddress.Parse(uri) },
                ("--management", { } url) when Uri.TryCreate(url, UriKind.Absolute, out var management) => options with { Management = management },
                ("--pid-dir", { } directory) => options with { PidDirectory = directory },
                _ => null,
            };
            if (options is null)
            {
                Console.Error.WriteLine($"floor: {args[i]} {value} is not an option (or not a valid value for it)");
                return null;
            }
            i++;
        }
        return options;
    }
}
