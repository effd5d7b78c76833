using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BusinessBrief.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for every process (as .NET Aspire's service defaults): traces across HTTP and RabbitMQ
/// (MassTransit's own instrumentation carries the trace id in each message's headers), metrics, and logs with
/// their scopes. Nothing leaves the process unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector; the
/// other standard <c>OTEL_*</c> variables (protocol, headers, service name, resource attributes) apply too.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The activity sources whose spans make up a brief's trace.</summary>
    public static readonly string[] TracedSources = [DiagnosticHeaders.DefaultListenerName];

    public static IHostApplicationBuilder AddBriefTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBriefMetrics();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(TracedSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(BriefMetrics.MeterName, InstrumentationOptions.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();

        return builder;
    }

    // Orchestrators poll these every few seconds: as spans they would drown the briefs' traces.
    static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
