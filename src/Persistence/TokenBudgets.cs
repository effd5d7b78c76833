using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BusinessBrief.Persistence;

/// <summary>Where the orchestrator charges what each job's answer says it spent.</summary>
public interface ITokenCharges
{
    /// <summary>Charges a job's tokens to its user and to the day's total; false when the job was charged already.</summary>
    Task<bool> Charge(string userId, Guid jobId, long tokens);
}

/// <summary>
/// Language-model tokens spent per UTC day, per user and in all, shared by every process in Redis (OWASP API4: the
/// model is paid per token). The orchestrator charges each job's tokens once, when its answer arrives; the API refuses
/// new work while a budget is spent. A day's counters expire when the day ends, which is how a budget resets.
/// </summary>
/// <remarks>
/// A job is charged after it ran, so a budget can be overshot by the work already admitted: it bounds what a user starts,
/// not the last job. The day's keys share one hash tag, so that the charging script touches a single slot.
/// </remarks>
public class TokenBudgets(IConnectionMultiplexer redis, IOptions<BriefStorageOptions> options, TimeProvider clock) : ITokenCharges
{
    // The job's id joins the day's set first: an answer processed again (a saga write retried) is not charged twice.
    static readonly LuaScript ChargeScript = LuaScript.Prepare("""
        if redis.call('SADD', @charged, @job) == 0 then return 0 end
        redis.call('INCRBY', @user, @tokens)
        redis.call('INCRBY', @everyone, @tokens)
        for _, key in ipairs({ @charged, @user, @everyone }) do redis.call('EXPIREAT', key, @dayEnds) end
        return 1
        """);

    public async Task<bool> Charge(string userId, Guid jobId, long tokens)
    {
        var day = Today();
        var charged = (int)await redis.GetDatabase().ScriptEvaluateAsync(ChargeScript, new
        {
            charged = (RedisKey)day.Key("charged-jobs"),
            user = (RedisKey)day.UserKey(userId),
            everyone = (RedisKey)day.Key("all-users"),
            job = jobId.ToString(),
            tokens,
            dayEnds = day.Ends.ToUnixTimeSeconds(),
        });
        return charged == 1;
    }

    /// <summary>
    /// Which budget is spent for today, if any, and how long until it resets. A limit of 0 is no limit.
    /// </summary>
    public async Task<SpentBudget?> Spent(string userId, long perUserPerDay, long globalPerDay)
    {
        if (perUserPerDay <= 0 && globalPerDay <= 0)
            return null;
        var day = Today();
        var spent = await redis.GetDatabase().StringGetAsync([day.UserKey(userId), day.Key("all-users")]);
        var resetsIn = day.Ends - clock.GetUtcNow();
        if (perUserPerDay > 0 && (long)spent[0] >= perUserPerDay)
            return new SpentBudget(TokenBudget.User, perUserPerDay, resetsIn);
        if (globalPerDay > 0 && (long)spent[1] >= globalPerDay)
            return new SpentBudget(TokenBudget.Global, globalPerDay, resetsIn);
        return null;
    }

    BudgetDay Today()
    {
        var now = clock.GetUtcNow();
        return new BudgetDay(options.Value.UserKeyPrefix, DateOnly.FromDateTime(now.UtcDateTime), new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero));
    }

    sealed record BudgetDay(string Prefix, DateOnly Date, DateTimeOffset Ends)
    {
        public string Key(string name) => $"{Prefix}token-budget:{{{Date:yyyy-MM-dd}}}:{name}";

        // The user id is hashed, as the idempotency keys do: no user id can spell another key.
        public string UserKey(string userId) =>
            Key($"user:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))}");
    }
}

public enum TokenBudget { User, Global }

/// <summary>A daily budget that is spent: which one, its limit, and how long until it resets (midnight UTC).</summary>
public record SpentBudget(TokenBudget Budget, long Limit, TimeSpan ResetsIn);
