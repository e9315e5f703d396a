using System.Text.Json.Serialization;

namespace DingGen;

/// <summary>The body of <c>register_call_back</c> and <c>update_call_back</c>.</summary>
internal sealed class DingCallbackRegistrationBody
{
    [JsonPropertyName("call_back_tag")]
    public required IReadOnlyList<string> CallBackTag { get; init; }

    [JsonPropertyName("token")]
    public required string Token { get; init; }

    [JsonPropertyName("aes_key")]
    public required string AesKey { get; init; }

    [JsonPropertyName("url")]
    public required string Url { get; init; }
}

/// <summary>The body of <c>topapi/processinstance/get</c>.</summary>
internal sealed class DingProcessInstanceRequestBody
{
    [JsonPropertyName("process_instance_id")]
    public required string ProcessInstanceId { get; init; }
}

/// <summary>The answer of <c>gettoken</c>.</summary>
internal sealed class DingAccessTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public long ExpiresIn { get; init; }
}

/// <summary>The answer of <c>get_call_back</c>.</summary>
internal sealed class DingGetCallbackResponse
{
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    [JsonPropertyName("call_back_tag")]
    public IReadOnlyList<string>? CallBackTag { get; init; }

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("aes_key")]
    public string? AesKey { get; init; }
}

/// <summary>Source-generated JSON metadata of the server API's request and response bodies (no reflection).</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DingCallbackRegistrationBody))]
[JsonSerializable(typeof(DingProcessInstanceRequestBody))]
[JsonSerializable(typeof(DingAccessTokenResponse))]
[JsonSerializable(typeof(DingGetCallbackResponse))]
internal sealed partial class DingOpenApiJsonContext : JsonSerializerContext
{
}
