using BusinessBrief.ServiceDefaults;

namespace BusinessBrief.Tests.ServiceDefaults;

/// <summary>What an operator writes in <c>ConnectionStrings__rabbitmq</c>, for one broker and for a cluster.</summary>
public class RabbitMqAddressTests
{
    [Theory]
    [InlineData("amqp://businessbrief-api:secret@localhost:5672/", "localhost", 5672, "/")]
    [InlineData("amqp://businessbrief-api:secret@rabbitmq/", "rabbitmq", 5672, "/")]
    [InlineData("amqp://businessbrief-api:secret@rabbitmq", "rabbitmq", 5672, "/")]
    [InlineData("amqp://businessbrief-api:secret@127.0.0.1:5701/bb", "127.0.0.1", 5701, "bb")]
    [InlineData("AMQP://businessbrief-api:secret@localhost:5672/%2F", "localhost", 5672, "/")]
    public void A_single_broker_uri_names_one_node_and_its_virtual_host(string connectionString, string host, int port, string virtualHost)
    {
        var address = RabbitMqAddress.Parse(connectionString);

        Assert.Equal([new RabbitMqNode(host, port)], address.Nodes);
        Assert.Equal(("businessbrief-api", "secret", virtualHost), (address.User, address.Password, address.VirtualHost));
    }

    [Fact]
    public void A_cluster_lists_its_nodes_in_order_and_a_node_without_a_port_gets_the_amqp_port()
    {
        var address = RabbitMqAddress.Parse("amqp://businessbrief-agents:secret@127.0.0.1:5701, rabbit2.internal ,127.0.0.1:5703/bb");

        Assert.Equal(
            [new RabbitMqNode("127.0.0.1", 5701), new RabbitMqNode("rabbit2.internal", 5672), new RabbitMqNode("127.0.0.1", 5703)],
            address.Nodes);
        Assert.Equal("bb", address.VirtualHost);
        Assert.Equal("127.0.0.1:5701", address.Nodes[0].ToString());
    }

    [Fact]
    public void Escaped_characters_of_the_password_and_virtual_host_are_read_as_themselves()
    {
        var address = RabbitMqAddress.Parse("amqp://bb%2Dapi:p%40ss%3Aword@localhost:5672,localhost:5673/team%2Fbriefs");

        Assert.Equal(("bb-api", "p@ss:word", "team/briefs"), (address.User, address.Password, address.VirtualHost));
        Assert.Equal(2, address.Nodes.Count);
    }

    [Theory]
    [InlineData("amqp://localhost:5672/", "names no user and password")]
    [InlineData("amqp://guest@localhost:5672/", "names no user and password")]
    [InlineData("rabbitmq://guest:guest@localhost:5672/", "does not start with amqp://")]
    [InlineData("amqps://guest:guest@localhost:5671/", "does not start with amqp://")]
    [InlineData("amqp://guest:guest@localhost:5701,,localhost:5703/", "'' is not a host or host:port")]
    [InlineData("amqp://guest:guest@localhost:5701,localhost:port/", "'localhost:port' is not a host or host:port")]
    public void A_malformed_address_stops_the_process_naming_the_setting_and_what_is_wrong(string connectionString, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RabbitMqAddress.Parse(connectionString));

        Assert.StartsWith("ConnectionStrings:rabbitmq is not a RabbitMQ address", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
