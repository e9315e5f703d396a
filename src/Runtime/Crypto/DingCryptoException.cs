namespace DingGen;

/// <summary>
/// A DingTalk callback crypto failure carrying DingTalk's numeric error code.
/// The message never contains a key, token, owner key or plaintext.
/// </summary>
public sealed class DingCryptoException : Exception
{
    /// <summary>Creates an exception for <paramref name="code"/> with a message safe to log.</summary>
    public DingCryptoException(DingCryptoErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates an exception for <paramref name="code"/> with the standard message for that code.</summary>
    public DingCryptoException(DingCryptoErrorCode code)
        : this(code, DingCryptoErrors.Describe(code))
    {
    }

    /// <summary>The error as an enum member.</summary>
    public DingCryptoErrorCode Code { get; }

    /// <summary>DingTalk's numeric error code (900001 to 900010).</summary>
    public int ErrorCode => (int)Code;
}

/// <summary>Descriptions of <see cref="DingCryptoErrorCode"/> values, safe to log and to return to a caller.</summary>
public static class DingCryptoErrors
{
    /// <summary>A one-line description of <paramref name="code"/> that names no secret.</summary>
    public static string Describe(DingCryptoErrorCode code) => code switch
    {
        DingCryptoErrorCode.None => "no error",
        DingCryptoErrorCode.EncryptionPlaintextIllegal => "the plaintext to encrypt is missing",
        DingCryptoErrorCode.EncryptionTimestampIllegal => "the timestamp to sign is missing",
        DingCryptoErrorCode.EncryptionNonceIllegal => "the nonce to sign is missing",
        DingCryptoErrorCode.AesKeyIllegal => "the AesKey (EncodingAESKey) must be 43 Base64 characters",
        DingCryptoErrorCode.SignatureNotMatch or DingCryptoErrorCode.ComputeSignatureError => "the signature does not match the token, timestamp, nonce and encrypt values",
        DingCryptoErrorCode.ComputeEncryptTextError => "AES encryption failed",
        DingCryptoErrorCode.ComputeDecryptTextError => "the encrypt value is not Base64 or not a whole number of AES blocks",
        DingCryptoErrorCode.ComputeDecryptTextLengthError => "the decrypted message is malformed (wrong AesKey or corrupt ciphertext)",
        DingCryptoErrorCode.ComputeDecryptTextOwnerKeyError => "the owner key inside the message is not the configured one (AppKey, CorpId or SuiteKey), or the padding is corrupt",
        _ => "unknown DingTalk crypto error",
    };
}
