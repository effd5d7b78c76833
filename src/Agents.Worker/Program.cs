using BusinessBrief.Agents;
using BusinessBrief.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSubAgents();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

// Only the API is an entry point for WebApplicationFactory in tests.
internal partial class Program;
