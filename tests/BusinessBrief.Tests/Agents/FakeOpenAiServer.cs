using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BusinessBrief.Tests.Agents;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 (a real Kestrel server on a free port) that answers
/// <c>POST /v1/chat/completions</c> with scripted replies, one per request, and records what it was sent.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<Func<HttpContext, Task>> replies = new();

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    /// <summary>Requests the client abandoned while the server was still holding them (see <see cref="ThenHang"/>).</summary>
    public int AbortedRequests => aborted;

    int aborted;

    public string BaseUrl { get; private set; } = "";

    FakeOpenAiServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            Requests.Enqueue((await JsonNode.ParseAsync(context.Request.Body))!.AsObject());
            if (!replies.TryDequeue(out var reply))
                reply = Status(StatusCodes.Status503ServiceUnavailable);
            await reply(context);
        });
    }

    public static async Task<FakeOpenAiServer> Start()
    {
        var server = new FakeOpenAiServer();
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address + "/v1";
        return server;
    }

    /// <summary>The agents' settings that send <paramref name="section"/> to this server, with short delays.</summary>
    public Dictionary<string, string?> SettingsFor(string section, string jobTimeout = "00:00:30", int maxAttempts = 3) => new()
    {
        [$"SubAgents:Backends:{section}"] = "llm",
        ["SubAgents:Llm:BaseUrl"] = BaseUrl,
        ["SubAgents:Llm:Model"] = "fake-model",
        ["SubAgents:Llm:ApiKey"] = "test-key",
        ["SubAgents:Llm:HttpRetryDelay"] = "00:00:00.010",
        ["SubAgents:JobTimeout"] = jobTimeout,
        ["SubAgents:MaxAttempts"] = maxAttempts.ToString(),
        ["SubAgents:RetryDelay"] = "00:00:00.010",
    };

    public FakeOpenAiServer ThenAnswer(string content)
    {
        replies.Enqueue(context => context.Response.WriteAsJsonAsync(Completion(content)));
        return this;
    }

    public FakeOpenAiServer ThenAnswer(JsonNode json) => ThenAnswer(json.ToJsonString());

    public FakeOpenAiServer ThenFail(int status, string? message = null)
    {
        replies.Enqueue(Status(status, message));
        return this;
    }

    /// <summary>Never answers: holds the request until the client gives up.</summary>
    public FakeOpenAiServer ThenHang()
    {
        replies.Enqueue(async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref aborted);
            }
        });
        return this;
    }

    static Func<HttpContext, Task> Status(int status, string? message = null) => context =>
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status429TooManyRequests)
            context.Response.Headers.RetryAfter = "0";
        return context.Response.WriteAsJsonAsync(new { error = new { message = message ?? $"fake {status}", type = "server_error" } });
    };

    static object Completion(string content) => new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "fake-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
    };

    /// <summary>The text of every message of a recorded request, in order.</summary>
    public static IReadOnlyList<string> Messages(JsonObject request) =>
        request["messages"]!.AsArray().Select(m => m!["content"] is JsonArray parts
            ? string.Concat(parts.Select(p => (string?)p!["text"]))
            : (string)m["content"]!).ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
