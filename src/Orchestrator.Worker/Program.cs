using BusinessBrief.Orchestrator;
using BusinessBrief.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddBriefOrchestrator();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
