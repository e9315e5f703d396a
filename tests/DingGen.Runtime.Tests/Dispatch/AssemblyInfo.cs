using DingGen;
using DingGen.Runtime.Tests.Dispatch;

[assembly: DingCustomEvent("new_thing_happened", typeof(NewThing))]
