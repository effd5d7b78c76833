using System.Text.Json;
using System.Text.Json.Serialization;
using BusinessBrief.Api.Briefs;
using BusinessBrief.Api.OpenApi;
using BusinessBrief.Persistence;
using BusinessBrief.ServiceDefaults;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using Scalar.AspNetCore;
using StackExchange.Redis;

namespace BusinessBrief.Api.Extensions;

public static class BriefApiExtensions
{
    static readonly string[] Cultures = ["fr", "en"];

    public static IHostApplicationBuilder AddBriefApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddProblemDetails();
        // Malformed bodies throw, so the exception handler can say where the JSON broke.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(BriefApiDocumentation.Configure);

        builder.AddBriefAuthentication();

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<BriefApiOptions>().Bind(builder.Configuration.GetSection(BriefApiOptions.SectionName));
        services.AddBriefStore(builder.Configuration);
        services.AddHealthChecks().AddRedisReadiness();
        services.AddSingleton<IdempotencyKeys>();
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
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                // Redis restarting: the client should retry, nothing is broken for good.
                RedisConnectionException or RedisTimeoutException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseRequestLocalization(o => o
            .SetDefaultCulture("en")
            .AddSupportedCultures(Cultures)
            .AddSupportedUICultures(Cultures));
        app.UseAuthentication();
        app.UseAuthorization();

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
    /// JWT bearer from the standard <c>Authentication:Schemes:Bearer</c> section. Outside Development the
    /// process refuses to start without a configured signing key.
    /// </summary>
    static void AddBriefAuthentication(this IHostApplicationBuilder builder)
    {
        var bearer = builder.Configuration.GetSection("Authentication:Schemes:Bearer");
        if (!bearer.GetSection("SigningKeys").GetChildren().Any() && !builder.Environment.IsDevelopment())
            throw new InvalidOperationException(
                "Authentication:Schemes:Bearer:SigningKeys is not configured; the API will not start without a signing key.");

        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters.NameClaimType = "sub";
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddAuthorization();
    }
}
