using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Extensions;
using BusinessBrief.Api.Preview;
using BusinessBrief.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddBriefApi();

var app = builder.Build();
app.UseBriefApi();
app.MapDefaultEndpoints();
app.MapBriefsApi();
app.MapBriefListsApi();
app.MapBriefExportsApi();
app.MapBriefEventsApi();
app.MapBriefPreview();
app.Run();

public partial class Program;
