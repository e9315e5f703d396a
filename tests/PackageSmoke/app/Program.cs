using System.Text;
using System.Text.Json;
using DingGen;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection();
services.AddSingleton<Journal>();
services.AddDingEventHandlers();
using var provider = services.BuildServiceProvider();

var router = provider.GetRequiredService<DingEventRouter>();
var payload = Encoding.UTF8.GetBytes("""{"EventType":"user_add_org","UserId":["0214382847291053"]}""");
var result = await router.DispatchAsync(new DingEventContext("user_add_org", payload, provider));

Console.WriteLine("tags: " + string.Join(",", DingEventTags.All));
Console.WriteLine("dispatch: " + result.Status);
Console.WriteLine("journal: " + string.Join(",", provider.GetRequiredService<Journal>().Entries));
return result.Status == DingDispatchStatus.Handled ? 0 : 1;

internal sealed class Journal
{
    public List<string> Entries { get; } = new();
}

internal sealed class StaffHandlers(Journal journal)
{
    [DingEvent("user_add_org")]
    public Task OnJoined(JsonElement e, DingEventContext context)
    {
        journal.Entries.Add(context.EventType + ":" + e.GetProperty("UserId")[0].GetString());
        return Task.CompletedTask;
    }

    [DingEvent("org_dept_create")]
    public static void OnDepartment(DingEventContext context)
    {
    }
}
