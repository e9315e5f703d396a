namespace DingGen.Cli;

/// <summary>The process exit codes of <c>dinggen</c>, part of its contract with scripts.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (also for <c>--help</c>).</summary>
    public const int Success = 0;

    /// <summary>A crypto failure (<c>error 900xxx: …</c>) or a usage error (<c>error usage: …</c>).</summary>
    public const int Failure = 2;

    /// <summary><c>dinggen simulate</c>: the host's reply was not the encrypted <c>success</c> (DingTalk would redeliver).</summary>
    public const int NotDelivered = 3;

    /// <summary>Standard input or output failed (<c>error io: …</c>), e.g. a closed pipe.</summary>
    public const int IOFailure = 1;
}
