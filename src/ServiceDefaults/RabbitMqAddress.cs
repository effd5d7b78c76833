namespace BusinessBrief.ServiceDefaults;

/// <summary>One RabbitMQ node a process may connect to.</summary>
public readonly record struct RabbitMqNode(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>
/// <c>ConnectionStrings:rabbitmq</c>: <c>amqp://user:password@host[:port][,host[:port]…]/vhost</c>. One node is the
/// single-broker form (an ordinary amqp URI); several are the nodes of one cluster, tried in turn, so that a process
/// reconnects to a surviving node without a load balancer in front of the cluster.
/// </summary>
public sealed record RabbitMqAddress(string User, string Password, string VirtualHost, IReadOnlyList<RabbitMqNode> Nodes)
{
    public const int DefaultPort = 5672;
    const string Scheme = "amqp://";
    const string Format = "amqp://user:password@host:5672[,host:5672…]/vhost";

    public static RabbitMqAddress Parse(string connectionString)
    {
        if (!connectionString.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            throw Invalid($"it does not start with {Scheme}");
        var rest = connectionString[Scheme.Length..].Split('?', '#')[0];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        // A password may hold an escaped '@' (%40) but never a raw one: the last '@' ends the user information.
        var at = authority.LastIndexOf('@');
        var (user, password) = Credentials(at < 0 ? "" : authority[..at]);
        var nodes = authority[(at + 1)..].Split(',', StringSplitOptions.TrimEntries).Select(Node).ToList();
        return new RabbitMqAddress(user, password, path.Length > 0 ? path : "/", nodes);
    }

    // No implicit guest/guest: each service connects as the user it was given, with only that user's permissions.
    static (string User, string Password) Credentials(string userInfo) =>
        userInfo.Split(':', 2) is [{ Length: > 0 } user, { Length: > 0 } password]
            ? (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password))
            : throw Invalid("it names no user and password");

    static RabbitMqNode Node(string hostAndPort)
    {
        if (hostAndPort.Length == 0 || !Uri.TryCreate(Scheme + hostAndPort, UriKind.Absolute, out var uri)
            || uri.Host.Length == 0 || uri.AbsolutePath != "/")
            throw Invalid($"'{hostAndPort}' is not a host or host:port");
        return new RabbitMqNode(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port);
    }

    static InvalidOperationException Invalid(string reason) =>
        new($"{RequiredSettings.RabbitMq} is not a RabbitMQ address: {reason} ({Format}).");
}
