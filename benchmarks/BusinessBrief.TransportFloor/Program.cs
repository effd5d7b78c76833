namespace BusinessBrief.TransportFloor;

// Not top-level statements: a global Program would clash with the API's in the tests, which reference both.
static class Program
{
    // floor [options]: the measurement, which starts the two roles below as processes of their own.
    // role orchestrator|agents <amqp uri> full|small: one side of the floor, until killed.
    static async Task<int> Main(string[] args) =>
        args is ["role", var role, var rabbitMq, var sections]
            ? await FloorRole.Run(role, rabbitMq, small: sections == FloorRole.SmallSections)
            : await FloorRun.Measure(args);
}
