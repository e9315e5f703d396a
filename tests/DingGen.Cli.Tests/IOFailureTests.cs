namespace DingGen.Cli.Tests;

public sealed class IOFailureTests
{
    [Fact]
    public void A_closed_stdout_is_one_io_error_line_and_exit_1()
    {
        using var stdout = new BrokenPipeStream();
        using var stderr = new StringWriter { NewLine = "\n" };

        var exitCode = CliApp.Run(["keygen"], Stream.Null, stdout, stderr, TimeProvider.System);

        Assert.Equal(1, exitCode);
        Assert.Equal("error io: Broken pipe\n", stderr.ToString());
    }

    private sealed class BrokenPipeStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
