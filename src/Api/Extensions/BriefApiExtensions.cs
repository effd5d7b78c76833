using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.OpenApi;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using FluentValidation;
using FluentValidation.Internal;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace BusinessBrief.Api.Extensions;

public static class BriefApiExtensions
{
    static readonly string[] Cultures = ["fr", "en"];

    public static IHostApplicationBuilder AddBriefApi(this IHostApplicationBuilder builder)
    {
        builder.RequireSettings(RequiredSettings.RabbitMq, RequiredSettings.Redis, RequiredSettings.Postgres);
        var services = builder.Services;

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddBriefProblems();
        services.AddOpenApi(BriefApiDocumentation.Configure);

        builder.AddBriefAuthentication();
        services.AddBriefRateLimits();
        services.AddForwardedHeadersFromProxies(builder.Configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BriefApiOptions>().Bind(builder.Configuration.GetSection(BriefApiOptions.SectionName))
            .Validate(o => o.MaxBriefsInFlight > 0 && o.MaxLongPollsPerUser > 0 && o.MaxEventStreamsPerUser > 0
                    && new[] { o.RateLimits.Generate, o.RateLimits.Regenerate, o.RateLimits.Read, o.RateLimits.Write, o.RateLimits.PerAddress }
                        .All(limit => limit.PermitLimit > 0),
                "BriefApi:MaxBriefsInFlight, BriefApi:MaxLongPollsPerUser, BriefApi:MaxEventStreamsPerUser and BriefApi:RateLimits:*:PermitLimit must be positive.")
            .Validate(o => o.TokenBudgets.PerUserPerDay >= 0 && o.TokenBudgets.GlobalPerDay >= 0,
                "BriefApi:TokenBudgets:PerUserPerDay and BriefApi:TokenBudgets:GlobalPerDay cannot be negative (0 is no limit).")
            .ValidateOnStart();
        services.AddBriefStore(builder.Configuration);
        services.AddHealthChecks().AddRedisReadiness(ServiceDefaultsExtensions.ReadyTag);
        services.AddBrokerConfirmDeadline();
        services.AddScoped<BriefServices>();
        services.AddScoped<BriefAdmission>();
        services.AddScoped<BriefPolling>();
        services.AddSingleton<LongPolls>();
        services.AddSingleton<EventStreams>();
        services.AddValidatorsFromAssemblyContaining<GenerateBriefRequestValidator>(ServiceLifetime.Singleton);
        // Errors name fields as clients write them: business_name, location.city.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
            (expression is null ? member?.Name : PropertyChain.FromExpression(expression).ToString()) is { } name
                ? string.Join('.', name.Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))
                : null;
        ValidatorOptions.Global.DisplayNameResolver = ValidatorOptions.Global.PropertyNameResolver;

        // The API only sends commands: no consumers, no queues of its own.
        services.AddMassTransit(bus => bus.UsingBriefRabbitMq());
        return builder;
    }

    public static WebApplication UseBriefApi(this WebApplication app)
    {
        // First: the scheme and client address everything after sees are the client's, when a known proxy forwarded them.
        app.UseForwardedHeaders();
        // Outside everything that writes an error: a culture set further in is gone again once an error travels out.
        app.UseRequestLocalization(o => o
            .SetDefaultCulture("en")
            .AddSupportedCultures(Cultures)
            .AddSupportedUICultures(Cultures));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi().RequireRateLimiting(RateLimitingExtensions.PerAddressPolicy);
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference().RequireRateLimiting(RateLimitingExtensions.PerAddressPolicy);
        return app;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        // ASP.NET Core's default writes < > & ' raw, so a problem naming an unknown field reflected the client's markup;
        // these are escaped now, while letters of every script (é, ب, 达) stay as they are.
        options.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        // A property the API does not know (e.g. a client trying to set "status" or "user_id") is an error, not ignored.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // The web defaults read "4242" as a number; ids are JSON numbers, and a string gets its 400 (and the document says so).
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>
    /// Every error is RFC 9457 problem+json with a trace id: exceptions (<see cref="ExceptionProblems"/>) and
    /// bodiless statuses such as 401, 404, 413 and 415 (status code pages, <see cref="StatusProblems"/>).
    /// </summary>
    static IServiceCollection AddBriefProblems(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<ProblemMessages>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblems.Describe);
        services.AddSingleton<IProblemDetailsWriter, AnyClientProblemWriter>();
        // Malformed bodies throw, so that the exception handler can say where the JSON broke.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ExceptionProblems>();
        return services;
    }
}
