using BusinessBrief.Api.Briefs;

namespace BusinessBrief.Tests.Api;

/// <summary>How long a client asks to be held: the <c>wait</c> preference of its <c>Prefer</c> header (RFC 7240).</summary>
public class LongPollPreferenceTests
{
    [Theory]
    [InlineData("wait=25", 25)]
    [InlineData("respond-async, wait=10", 10)]
    [InlineData("Wait = 3 ; foo=bar", 3)]
    [InlineData("wait=\"7\"", 7)]
    [InlineData("wait=0", 0)]
    [InlineData("wait=120", 30)]
    [InlineData("wait=99999999999999", 30)]
    public void A_wait_preference_is_read_in_seconds_and_capped_at_30(string prefer, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), BriefPolling.RequestedWait(prefer));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("respond-async")]
    [InlineData("wait=-1")]
    [InlineData("wait=soon")]
    [InlineData("waiting=5")]
    public void Without_a_valid_wait_preference_nothing_is_held(string? prefer) =>
        Assert.Null(BriefPolling.RequestedWait(prefer));
}
