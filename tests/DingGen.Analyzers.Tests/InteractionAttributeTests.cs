using DingGen.Analyzers.Tests.Infrastructure;
using DingGen.CodeFixes;
using static DingGen.Analyzers.DiagnosticDescriptors;

namespace DingGen.Analyzers.Tests;

/// <summary>DING011 (a method that is more than one kind of handler) and DING012 (an unknown MsgType filter, with its fix).</summary>
public sealed class InteractionAttributeTests
{
    [Fact]
    public Task A_method_with_two_kinds_of_handler_attribute_is_reported_once() => Verify.AnalyzerAsync<InteractionAttributeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            [DingRobotMessage]
            public static void {|#0:OnBoth|}(DingRobotMessage message) { }

            [DingRobotMessage, DingCardCallback]
            public static void {|#1:OnInteractions|}() { }

            [DingEvent("bpms_instance_change"), DingRobotMessage, DingCardCallback]
            public static void {|#2:OnAll|}() { }
        }
        """,
        Verify.Diagnostic(MixedHandlerKinds).WithLocation(0).WithArguments("OnBoth", "[DingEvent] and [DingRobotMessage]"),
        Verify.Diagnostic(MixedHandlerKinds).WithLocation(1).WithArguments("OnInteractions", "[DingRobotMessage] and [DingCardCallback]"),
        Verify.Diagnostic(MixedHandlerKinds).WithLocation(2).WithArguments("OnAll", "[DingEvent] and [DingRobotMessage] and [DingCardCallback]"));

    [Fact]
    public Task A_mixed_method_gets_no_signature_diagnostics_besides_DING011() => Verify.AnalyzerAsync<HandlerSignatureAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingEvent("bpms_instance_change")]
            [DingRobotMessage]
            private static int OnBoth(DingCardCallback callback) => 0;
        }
        """);

    [Fact]
    public Task Unknown_msgtype_is_reported_with_the_nearest_known_type() => Verify.AnalyzerAsync<InteractionAttributeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage(MsgType = {|#0:"txt"|})]
            public static void OnTxt(DingRobotMessage message) { }

            [DingRobotMessage(RobotCode = "r", MsgType = {|#1:"richtext"|})]
            public static void OnRich(DingRobotMessage message) { }

            [DingRobotMessage(MsgType = {|#2:"markdown"|})]
            public static void OnMarkdown(DingRobotMessage message) { }
        }
        """,
        Verify.Diagnostic(UnknownRobotMessageType).WithLocation(0).WithArguments("txt", "; did you mean 'text' (DingRobotMessageTypes.Text)?"),
        Verify.Diagnostic(UnknownRobotMessageType).WithLocation(1).WithArguments("richtext", "; did you mean 'richText' (DingRobotMessageTypes.RichText)?"),
        Verify.Diagnostic(UnknownRobotMessageType).WithLocation(2).WithArguments("markdown", string.Empty));

    [Fact]
    public Task Known_msgtypes_and_other_filters_are_not_reported() => Verify.AnalyzerAsync<InteractionAttributeAnalyzer>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage(MsgType = "text")]
            public static void OnText(DingRobotMessage message) { }

            [DingRobotMessage(MsgType = DingRobotMessageTypes.Video, RobotCode = "txt")]
            public static void OnVideo(DingRobotMessage message) { }

            [DingCardCallback(ActionId = "txt")]
            public static void OnCard(DingCardCallback callback) { }
        }
        """);

    [Fact]
    public Task Fix_uses_the_suggested_constant() => Verify.FixAsync<InteractionAttributeAnalyzer, UnknownRobotMessageTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage(MsgType = {|DING012:"picutre"|})]
            public static void OnPicture(DingRobotMessage message) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage(MsgType = DingRobotMessageTypes.Picture)]
            public static void OnPicture(DingRobotMessage message) { }
        }
        """);

    [Fact]
    public Task Fix_all_uses_each_suggested_constant() => Verify.FixAsync<InteractionAttributeAnalyzer, UnknownRobotMessageTypeCodeFixProvider>(
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage(MsgType = {|DING012:"Text"|})]
            public static void OnText(DingRobotMessage message) { }

            [DingRobotMessage(MsgType = {|DING012:"audo"|}, RobotCode = "r")]
            public static void OnAudio(DingRobotMessage message) { }
        }
        """,
        Verify.Usings + """
        public static class Handlers
        {
            [DingRobotMessage(MsgType = DingRobotMessageTypes.Text)]
            public static void OnText(DingRobotMessage message) { }

            [DingRobotMessage(MsgType = DingRobotMessageTypes.Audio, RobotCode = "r")]
            public static void OnAudio(DingRobotMessage message) { }
        }
        """);
}
