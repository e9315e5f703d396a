#:project ../../src/Runtime/DingGen.csproj

// Paired timing of DingCallbackCrypto against the same BCL floor as CallbackCryptoBenchmarks, for machines too
// loaded for BenchmarkDotNet's sequential runs: library and floor alternate in short rounds and the minimum
// per-operation time of each over all rounds is kept, so both see the same background load.
// Run: dotnet run -c Release docs/perf-notes/crypto-paired.cs   (without -c Release the library is built in Debug)
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DingGen;

const string Token = "Tk7vQ2mR9x";
const string AesKey = "hDAEYqL62pBum9BIy2ewA5s02KGvdiP4TLqi58G5tLS";
const string OwnerKey = "dingzq4bkl7mxn0ofa2c";
const string Timestamp = "1717034400123";
const string Nonce = "bR4kWm9Z";
const int Rounds = 400;
const int OpsPerRound = 50;

var crypto = new DingCallbackCrypto(Token, AesKey, OwnerKey);
var key = Convert.FromBase64String(AesKey + "=");
using var aes = Aes.Create();
aes.Key = key;
var iv = key[..16];
var hash = new byte[SHA1.HashSizeInBytes];

Console.WriteLine("| operation | size | floor (µs, min) | DingCallbackCrypto (µs, min) | ratio |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var size in new[] { 200, 1024, 4096 })
{
    var message = new byte[size];
    message.AsSpan().Fill((byte)'a');
    var encrypt = crypto.Encrypt(message);
    var signature = crypto.ComputeSignature(Timestamp, Nonce, encrypt);
    var signatureInput = SortedConcat(Token, Timestamp, Nonce, encrypt);
    var encryptChars = encrypt.ToCharArray();
    var cipher = new byte[Convert.FromBase64String(encrypt).Length];
    var plain = new byte[cipher.Length];

    var (floor, library) = Paired(
        () =>
        {
            SHA1.HashData(signatureInput, hash);
            Convert.TryFromBase64Chars(encryptChars, cipher, out var n);
            aes.DecryptCbc(cipher.AsSpan(0, n), iv, plain, PaddingMode.None);
        },
        () => crypto.TryDecrypt(signature, Timestamp, Nonce, encrypt, out _));
    Console.WriteLine($"| verify + decrypt | {size} | {floor:F2} | {library:F2} | {library / floor:F2} |");
}

var replyFrame = new byte[64];
var replyCipher = new byte[64];
var replyBase64 = new char[88];
var replySignatureInput = SortedConcat(Token, Timestamp, Nonce, crypto.Encrypt("success"u8));
var (replyFloor, replyLibrary) = Paired(
    () =>
    {
        aes.EncryptCbc(replyFrame, iv, replyCipher, PaddingMode.None);
        Convert.TryToBase64Chars(replyCipher, replyBase64, out _);
        SHA1.HashData(replySignatureInput, hash);
    },
    () => crypto.CreateSuccessReply(Timestamp, Nonce));
Console.WriteLine($"| success reply | 7 | {replyFloor:F2} | {replyLibrary:F2} | {replyLibrary / replyFloor:F2} |");

static (double Floor, double Library) Paired(Action floor, Action library)
{
    double bestFloor = double.MaxValue, bestLibrary = double.MaxValue;
    for (var i = 0; i < 2000; i++)
    {
        floor();
        library();
    }

    for (var round = 0; round < Rounds; round++)
    {
        bestFloor = Math.Min(bestFloor, Time(floor));
        bestLibrary = Math.Min(bestLibrary, Time(library));
    }

    return (bestFloor, bestLibrary);
}

static double Time(Action action)
{
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < OpsPerRound; i++)
    {
        action();
    }

    return Stopwatch.GetElapsedTime(start).TotalMicroseconds / OpsPerRound;
}

static byte[] SortedConcat(params string[] parts)
{
    Array.Sort(parts, StringComparer.Ordinal);
    return Encoding.UTF8.GetBytes(string.Concat(parts));
}
