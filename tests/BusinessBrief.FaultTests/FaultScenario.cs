using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BusinessBrief.Contracts;
using StackExchange.Redis;

namespace BusinessBrief.FaultTests;

/// <summary>
/// One fault scenario: start the services as processes, submit a batch through the API while the fault
/// happens, wait for every brief to settle, and count what a user would notice.
/// </summary>
/// <param name="cluster">The clustered engines to run on; the suite's single RabbitMQ node and Redis without it.</param>
public sealed class FaultScenario(ChaosStack stack, string name, ClusterEngines? cluster = null) : IAsyncDisposable
{
    readonly List<ServiceProcess> services = [];
    readonly List<Guid> accepted = [];
    readonly string scenarioPrefix = $"chaos:{Guid.NewGuid():N}:";
    readonly string redis = cluster?.Redis ?? stack.Redis;
    readonly Broker broker = cluster?.Broker ?? stack.Broker;
    public string KeyPrefix => scenarioPrefix + "brief:";

    public Dictionary<string, string> Environment { get; } = new()
    {
        ["ConnectionStrings__rabbitmq"] = cluster?.RabbitMq ?? stack.RabbitMq,
        ["ConnectionStrings__redis"] = cluster?.Redis ?? stack.Redis,
        ["ConnectionStrings__postgres"] = stack.Postgres,
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__MassTransit"] = System.Environment.GetEnvironmentVariable("BB_FAULT_MASSTRANSIT_LOG") ?? "Warning",
        ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
        // Small prefetch and slow agents stretch a batch over seconds, so faults land mid-batch.
        ["RabbitMq__PrefetchCount"] = "8",
        ["SubAgents__JobTimeout"] = "00:00:05",
        ["SubAgents__MaxAttempts"] = "2",
        ["SubAgents__RetryDelay"] = "00:00:00.200",
        ["SectionDeadlines__JobDeadline"] = "00:00:20",
        ["SectionDeadlines__CheckInterval"] = "00:00:01",
    };

    public IReadOnlyList<Guid> Accepted => accepted;

    /// <summary>Briefs announced when the fault began and when it ended: the second below the batch proves it landed mid-batch.</summary>
    public (int Began, int Ended) AnnouncedDuringFault { get; private set; }

    /// <summary>Counts a brief started without the API (e.g. a command sent straight to the saga) as accepted.</summary>
    public void Accept(Guid briefId)
    {
        lock (accepted)
            accepted.Add(briefId);
    }
    public ServiceProcess Api { get; private set; } = null!;

    /// <summary>Every section's agent takes this long per job.</summary>
    public FaultScenario WithAgentLatency(TimeSpan latency)
    {
        foreach (var section in SectionNames.All)
        {
            Environment[$"SubAgents__Chaos__{section}__LatencyRate"] = "1";
            Environment[$"SubAgents__Chaos__{section}__Latency"] = latency.ToString();
        }
        return this;
    }

    public async Task Start(int orchestrators = 1, int agents = 1)
    {
        Environment["BriefStorage__KeyPrefix"] = KeyPrefix;
        if (cluster is not null)
        {
            // As ./bb up --cluster runs: each saga write waits for a replica. User keys of its own: the cluster's Redis
            // outlives a scenario, and an earlier scenario's rate windows must not count against this one's user.
            Environment["Redis__ReplicaAckTimeoutMs"] = "500";
            Environment["BriefStorage__UserKeyPrefix"] = scenarioPrefix;
        }
        await ChaosStack.PurgeQueues(broker);
        Api = await StartService("api");
        for (var i = 0; i < orchestrators; i++)
            await StartService($"orchestrator-{i + 1}");
        for (var i = 0; i < agents; i++)
            await StartService($"agents-{i + 1}");
    }

    async Task<ServiceProcess> StartService(string serviceName)
    {
        var service = stack.Service(serviceName, ChaosStack.FreePort(), Environment);
        services.Add(service);
        await service.Start();
        return service;
    }

    public ServiceProcess Service(string serviceName) => services.Single(s => s.Name == serviceName);

    /// <summary>A second API process beside <see cref="Api"/>, as a deployment with several copies behind a load balancer.</summary>
    public Task<ServiceProcess> StartApiCopy() => StartService("api-2");

    /// <summary>Each job's deadline in the orchestrator, before it is sent again (then the section fails).</summary>
    public FaultScenario WithJobDeadline(TimeSpan deadline)
    {
        Environment["SectionDeadlines__JobDeadline"] = deadline.ToString();
        return this;
    }

    /// <summary>Runs <paramref name="fault"/> once a first brief is announced, so that it lands while the batch is being processed.</summary>
    public async Task Break(Func<Task> fault)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Announced() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no brief was announced within a minute of the batch's start");
            await Task.Delay(50);
        }
        var began = Announced();
        await fault();
        AnnouncedDuringFault = (began, Announced());
    }

    /// <summary>How many accepted briefs were announced (ready or incomplete) so far.</summary>
    public int Announced()
    {
        lock (accepted)
            return accepted.Count(id => stack.Announcements.ContainsKey((id, 1)));
    }

    /// <summary>Submits briefs like a client that retries a 503 (nothing was accepted) after a pause.</summary>
    public async Task Submit(int count, int concurrency = 8)
    {
        using var client = ChaosStack.ApiClient(Api.Url, "chaos");
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await SubmitUntilAccepted(client, i, idempotencyKey: null);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>
    /// Submits a brief every <paramref name="pace"/> until <paramref name="stop"/> and at least <paramref name="atLeast"/>
    /// briefs, as steady traffic through a fault longer than a batch takes.
    /// </summary>
    public async Task SubmitSteadily(TimeSpan pace, int atLeast, CancellationToken stop)
    {
        using var client = ChaosStack.ApiClient(Api.Url, "chaos");
        var submitting = new List<Task>();
        for (var i = 0; i < atLeast || !stop.IsCancellationRequested; i++)
        {
            submitting.Add(SubmitUntilAccepted(client, i, idempotencyKey: null));
            await Task.Delay(pace);
        }
        await Task.WhenAll(submitting);
    }

    /// <summary>
    /// Posts <paramref name="count"/> requests once each, to <paramref name="apis"/> in turn; the briefs accepted count as
    /// accepted. Returns each answer's status by API.
    /// </summary>
    public async Task<IReadOnlyList<(string Api, HttpStatusCode Status)>> SubmitOnceAcross(IReadOnlyList<ServiceProcess> apis, int count)
    {
        var clients = apis.Select(api => ChaosStack.ApiClient(api.Url, "chaos")).ToList();
        using var gate = new SemaphoreSlim(8);
        try
        {
            return await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await Post(clients[i % apis.Count], i, idempotencyKey: null);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                        Accept((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("brief_id").GetGuid());
                    return (apis[i % apis.Count].Name, response.StatusCode);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Submits one request, with its idempotency key, until the API accepts it.</summary>
    public async Task SubmitUntilAccepted(int i, string idempotencyKey)
    {
        using var client = ChaosStack.ApiClient(Api.Url, "chaos");
        await SubmitUntilAccepted(client, i, idempotencyKey);
    }

    /// <summary>One request, posted again after a pause while the API answers 503; the brief it starts counts as accepted.</summary>
    async Task SubmitUntilAccepted(HttpClient client, int i, string? idempotencyKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await Post(client, i, idempotencyKey);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    Accept((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("brief_id").GetGuid());
                    return;
                }
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "the API refused new briefs for over a minute");
            await Task.Delay(500);
        }
    }

    /// <summary>Polls every accepted brief until it settles or <paramref name="timeout"/> runs out, and records the row.</summary>
    public async Task<ScenarioResult> Settle(Stopwatch clock, TimeSpan timeout)
    {
        using var client = ChaosStack.ApiClient(Api.Url, "chaos");
        var final = new Dictionary<Guid, string>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // "gone" is polled again too: a brief started without the API appears once the saga stored it.
            foreach (var id in accepted.Where(id => final.GetValueOrDefault(id) is not ("ready" or "incomplete" or "used")))
                final[id] = await Status(client, id);
            if (final.Values.All(s => s is "ready" or "incomplete" or "used") || DateTime.UtcNow > deadline)
                break;
            await Task.Delay(500);
        }
        clock.Stop();

        // Announcements travel after the state is stored: give the last ones a moment to arrive.
        var announceDeadline = DateTime.UtcNow.AddSeconds(10);
        while (accepted.Any(id => !stack.Announcements.ContainsKey((id, 1))) && DateTime.UtcNow < announceDeadline)
            await Task.Delay(200);

        var settled = new List<JsonElement>();
        foreach (var id in final.Where(f => f.Value is "ready" or "incomplete").Select(f => f.Key))
            settled.Add(await client.GetFromJsonAsync<JsonElement>($"/api/v1/business/brief/{id}"));
        var errors = await ChaosStack.ErrorQueues(broker);
        var result = new ScenarioResult(
            name,
            accepted.Count,
            final.Values.Count(s => s == "ready"),
            final.Values.Count(s => s == "incomplete"),
            final.Values.Count(s => s == "gone"),
            final.Values.Count(s => s is "generating" or "regenerating" or "unavailable"),
            accepted.Count(id => stack.Announcements.TryGetValue((id, 1), out var ids) && ids.Distinct().Count() > 1)
                + settled.Count(RecordedAnAnswerTwice),
            errors.Messages,
            clock.Elapsed,
            SectionFailures(settled),
            errors.Faults,
            AnnouncedDuringFault);
        lock (stack.Results)
            stack.Results.Add(result);
        return result;
    }

    /// <summary>One brief request, answered as it comes (no retry).</summary>
    public async Task<HttpResponseMessage> SubmitOnce(int i, string idempotencyKey)
    {
        using var client = ChaosStack.ApiClient(Api.Url, "chaos");
        return await Post(client, i, idempotencyKey);
    }

    static async Task<HttpResponseMessage> Post(HttpClient client, int i, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/business/brief/generate") { Content = JsonContent.Create(Request(i)) };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>Every Redis key this scenario's services wrote under its key prefix, on every master (a Redis Cluster spreads them).</summary>
    public async Task<IReadOnlyList<string>> StoredKeys()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var keys = new List<string>();
        foreach (var master in connection.GetServers().Where(s => !s.IsReplica))
            keys.AddRange(await master.KeysAsync(pattern: KeyPrefix + "*").Select(k => k.ToString()).ToListAsync());
        return keys;
    }

    static string SectionFailures(IEnumerable<JsonElement> briefs) =>
        string.Join("; ", briefs
            .SelectMany(brief => brief.GetProperty("sections").EnumerateObject())
            .Where(s => s.Value.GetProperty("status").GetString() == "failed")
            .Select(s => $"{s.Name}: {s.Value.GetProperty("error").GetString()}")
            .GroupBy(f => f).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}"));

    /// <summary>
    /// Each job's answer counts once in the brief's usage, and no section has more jobs than it was sent
    /// (<c>attempts</c>): more answers than jobs means an answer was recorded twice.
    /// </summary>
    static bool RecordedAnAnswerTwice(JsonElement brief) =>
        brief.GetProperty("usage").GetProperty("jobs").GetInt32() >
        brief.GetProperty("sections").EnumerateObject().Sum(s => s.Value.GetProperty("attempts").GetInt32());

    public async Task<JsonElement> Brief(Guid id)
    {
        using var client = ChaosStack.ApiClient(Api.Url, "chaos");
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/business/brief/{id}");
    }

    static async Task<string> Status(HttpClient client, Guid id)
    {
        try
        {
            var response = await client.GetAsync($"/api/v1/business/brief/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound)
                return "gone";
            if (!response.IsSuccessStatusCode)
                return "unavailable";
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
        }
        catch (HttpRequestException)
        {
            return "unavailable";
        }
        catch (TaskCanceledException)
        {
            return "unavailable";
        }
    }

    static JsonObject Request(int i) => new()
    {
        ["coaching_session_id"] = 7000 + i,
        ["business_name"] = $"Atelier Ndiaye n°{i}",
        ["vision"] = "Habiller Dakar avec des tissus wax de qualité.",
        ["mission"] = "Coudre sur mesure, vite et à prix juste.",
        ["target_audience"] = "Jeunes actifs de Dakar et de Thiès",
        ["differentiation"] = "Retouches gratuites pendant un an",
        ["value_proposition"] = "Votre tenue sur mesure en 48 h",
        ["sector"] = "couture",
        ["location"] = new JsonObject { ["city"] = "Dakar", ["country"] = "Sénégal" },
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var service in services)
            await service.DisposeAsync();
    }
}
