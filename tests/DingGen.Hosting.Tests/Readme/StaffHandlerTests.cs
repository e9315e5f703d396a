using ApprovalHost;
using DingGen.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DingGen.Hosting.Tests.Readme;

// The README's "test a handler" example, verbatim (docs/testing.md): the approval sample's own Program, its
// development keys, and DingTalkSimulator posting a user_add_org exactly as DingTalk would.
public sealed class StaffHandlerTests(WebApplicationFactory<Program> app) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task A_new_colleague_is_written_to_the_journal()
    {
        var dingtalk = new DingTalkSimulator("Y4dA02j6Z08xQRSMIx0ZjXmBzdaTQDLa", "FnJVTxNiSSHDxgbT9F21kALwDbrstkm2irRMaoSnuUR", ownerKey: "dingsampledevapp0001");

        var result = await dingtalk.PostAsync(app.CreateClient(), "/dingtalk/callback",
            """{"EventType":"user_add_org","CorpId":"ding7c2f","UserId":["0214382847291053"]}""");

        Assert.True(result.IsSuccessReply);
        Assert.Contains("staff joined: 0214382847291053", app.Services.GetRequiredService<ActivityJournal>().Since(0));
    }
}
