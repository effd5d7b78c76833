using System.Text.Json;
using System.Text.Json.Serialization;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.Problems;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using FluentValidation;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace BusinessBrief.Api.Extensions;

public static class BriefApiExtensions
{
    static readonly string[] Cultures = ["fr", "en"];

    public static IHostApplicationBuilder AddBriefApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddBriefProblems();
        services.AddOpenApi();

        builder.AddBriefAuthentication();
        services.AddBriefRateLimits();

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BriefApiOptions>().Bind(builder.Configuration.GetSection(BriefApiOptions.SectionName))
            .Validate(o => o.MaxBriefsInFlight > 0 && o.RateLimits.Generate.PermitLimit > 0 && o.RateLimits.Regenerate.PermitLimit > 0,
                "BriefApi:MaxBriefsInFlight and BriefApi:RateLimits:*:PermitLimit must be positive.")
            .ValidateOnStart();
        services.AddBriefStore(builder.Configuration);
        services.AddHealthChecks().AddRedisReadiness();
        services.AddSingleton<IdempotencyKeys>();
        services.AddSingleton<BriefsInFlight>();
        services.AddScoped<BriefServices>();
        services.AddValidatorsFromAssemblyContaining<GenerateBriefRequestValidator>(ServiceLifetime.Singleton);
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = ValidatorOptions.Global.PropertyNameResolver;

        // The API only sends commands: no consumers, no queues of its own.
        services.AddMassTransit(bus => bus.UsingBriefRabbitMq());
        return builder;
    }

    public static WebApplication UseBriefApi(this WebApplication app)
    {
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

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference();
        return app;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        // A property the API does not know (e.g. a client trying to set "status" or "user_id") is an error, not ignored.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    /// <summary>
    /// Every error is RFC 9457 problem+json with a <c>traceId</c>: exceptions (<see cref="ExceptionProblems"/>) and
    /// bodiless statuses such as 401, 404 and 405 (status code pages).
    /// </summary>
    static IServiceCollection AddBriefProblems(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<ProblemMessages>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status == StatusCodes.Status401Unauthorized)
                context.ProblemDetails.Detail ??= context.HttpContext.RequestServices.GetRequiredService<ProblemMessages>().BearerTokenRequired;
        });
        // Malformed bodies throw, so that the exception handler can say where the JSON broke.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ExceptionProblems>();
        return services;
    }
}
