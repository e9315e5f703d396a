namespace DingGen;

/// <summary>
/// DingTalk's own numeric error codes for callback crypto failures (the <c>DingTalkEncryptException</c>
/// codes of DingTalk's official <c>DingCallbackCrypto</c> class). The numeric value of each member is
/// the code DingTalk documents, so it can be logged and compared with DingTalk's troubleshooting pages.
/// </summary>
public enum DingCryptoErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>900001: the plaintext to encrypt is missing.</summary>
    EncryptionPlaintextIllegal = 900001,

    /// <summary>900002: the timestamp for a reply is missing.</summary>
    EncryptionTimestampIllegal = 900002,

    /// <summary>900003: the nonce for a reply is missing.</summary>
    EncryptionNonceIllegal = 900003,

    /// <summary>900004: the EncodingAESKey is not 43 Base64 characters.</summary>
    AesKeyIllegal = 900004,

    /// <summary>900005: signature mismatch as reported by DingTalk's PHP code. This library reports 900006 instead, as the Java and C# reference code do.</summary>
    SignatureNotMatch = 900005,

    /// <summary>900006: the signature does not match (the code DingTalk's Java and C# reference classes use for a mismatch).</summary>
    ComputeSignatureError = 900006,

    /// <summary>900007: AES encryption failed.</summary>
    ComputeEncryptTextError = 900007,

    /// <summary>900008: the <c>encrypt</c> value is not Base64 or not a whole number of AES blocks.</summary>
    ComputeDecryptTextError = 900008,

    /// <summary>900009: the decrypted frame is malformed (too short, or its length field points past the data).</summary>
    ComputeDecryptTextLengthError = 900009,

    /// <summary>900010: the owner key inside the ciphertext (AppKey, CorpId or SuiteKey) is not the configured one, or the padding is corrupt.</summary>
    ComputeDecryptTextOwnerKeyError = 900010,
}
