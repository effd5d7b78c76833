using System.Net;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Preview;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace BusinessBrief.Tests.Api;

/// <summary>When the preview cookie may go without <c>Secure</c>, and how anonymous clients are counted for limits.</summary>
public class PreviewCookieTests
{
    [Theory]
    [InlineData("Production", "127.0.0.1", false, true)]
    [InlineData("Production", "203.0.113.9", false, true)]
    [InlineData("Development", "203.0.113.9", false, true)]
    [InlineData("Development", "127.0.0.1", true, true)]
    [InlineData("Development", "::1", true, true)]
    [InlineData("Development", "127.0.0.1", false, false)]
    [InlineData("Development", "::1", false, false)]
    public void The_cookie_is_Secure_unless_plain_http_from_the_machine_itself_in_Development(string environment, string client, bool https,
        bool secure)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(client);
        http.Request.Scheme = https ? "https" : "http";

        Assert.Equal(secure, BriefPreviewSession.IsSecure(http, new HostingEnvironment { EnvironmentName = environment }));
    }

    [Fact]
    public void Only_the_secure_cookie_is_read_outside_loopback_development()
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        http.Request.Headers.Cookie = $"{BriefPreviewSession.LoopbackCookieName}=planted";

        Assert.Null(BriefPreviewSession.Token(http, new HostingEnvironment { EnvironmentName = Environments.Development }));
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void An_anonymous_client_is_counted_by_its_IPv4_address_or_its_IPv6_64(string address, string partition) =>
        Assert.Equal(partition, RateLimitingExtensions.ClientNetwork(IPAddress.Parse(address)));
}
