using DingGen;
using HelpdeskBot;

// The helpdesk robot: users ask it "status <approval id>" in DingTalk; it answers with the approval's state (read through
// DingTalk's server API) and a card whose "remind approver" button messages the approver. Both channels run the same
// generated handlers (HelpdeskHandlers.cs):
//   HTTP:   DingTalk posts robot messages to /dingtalk/robot and card actions to /dingtalk/card, signed with the AppSecret.
//   Stream: DingGen:Stream:Enabled=true (DingGen__Stream__Enabled=true) opens DingTalk's Stream connection; no public URL.
// Settings: DingGen:AppKey and DingGen:AppSecret (the robot's app), Helpdesk:CardTemplateId (the card template).
// `--simulate` plays a conversation against this host over stream mode and over HTTP with a fake DingTalk (Simulation.cs).
var simulate = args.Contains(Simulation.Flag, StringComparer.Ordinal);
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args.Where(static a => a != Simulation.Flag).ToArray(),
    EnvironmentName = simulate ? Environments.Development : null,
});

await using var fakes = simulate ? await Simulation.StartFakesAsync(builder) : null;

builder.Services.AddDingGen(builder.Configuration.GetSection("DingGen")).AddDingTalkClient(); // DingGen:Stream:Enabled=true turns stream mode on
builder.Services.AddDingEventHandlers(); // generated: the robot and card handlers of this assembly
builder.Services.AddOptions<HelpdeskOptions>()
    .Configure<IConfiguration>(static (options, configuration) => options.CardTemplateId = configuration["Helpdesk:CardTemplateId"] ?? string.Empty)
    .Validate(static options => !string.IsNullOrWhiteSpace(options.CardTemplateId), "Helpdesk:CardTemplateId is required: the id of the status card's template (DingTalk's card builder).")
    .ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ApprovalDesk>();
builder.Services.AddSingleton<ReminderLog>();
builder.Services.AddHealthChecks().AddDingGenHealthCheck();

var app = builder.Build();
app.MapDingRobot("/dingtalk/robot");
app.MapDingCardCallback("/dingtalk/card");
app.MapHealthChecks("/health");

if (!simulate)
{
    await app.RunAsync();
    return 0;
}

await app.StartAsync();
try
{
    return await Simulation.RunAsync(app, fakes!);
}
finally
{
    await app.StopAsync();
}
