using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace BusinessBrief.Api.Extensions;

public static class ForwardedHeadersExtensions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>
    /// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> are believed from loopback and from the proxies named in
    /// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), from no one else:
    /// behind a TLS proxy the request is HTTPS (Secure cookies) and per-address limits count the client, not the proxy.
    /// </summary>
    public static IServiceCollection AddForwardedHeadersFromProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }
}
