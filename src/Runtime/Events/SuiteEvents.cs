using System.Text.Json;
using System.Text.Json.Serialization;

namespace DingGen.Events;

/// <summary>
/// The URL validation events (<c>check_url</c>, <c>check_create_suite_url</c>, <c>check_update_suite_url</c>,
/// <c>check_suite_license_code</c>). The endpoint answers them itself with the encrypted <c>success</c>; handlers on
/// them are rejected by the analyzers, so one type serves all four.
/// </summary>
public sealed record CheckUrlEvent : DingEventPayload
{
    /// <summary>A random 8-character string (<c>Random</c>, suite URL checks only).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Random { get; init; }

    /// <summary>The suite key being validated (<c>TestSuiteKey</c>, suite URL checks only).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? TestSuiteKey { get; init; }
}

/// <summary>An ISV (third-party app) lifecycle event: the members shared by them. Open so one handler can take several.</summary>
public record DingSuiteEvent : DingEventPayload
{
    /// <summary>The suite (<c>SuiteKey</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? SuiteKey { get; init; }

    /// <summary>The authorising organisation (<c>AuthCorpId</c>); absent for <c>suite_ticket</c>.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? AuthCorpId { get; init; }
}

/// <summary><c>suite_ticket</c>: a new suite ticket (about every 5 hours; retried up to 100 times until acknowledged).</summary>
public sealed record SuiteTicket : DingSuiteEvent
{
    /// <summary>The ticket (JSON <c>SuiteTicket</c>/<c>suiteTicket</c>).</summary>
    [JsonPropertyName("SuiteTicket")]
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? Ticket { get; init; }
}

/// <summary><c>tmp_auth_code</c>: an organisation authorised (opened) the app.</summary>
public sealed record TmpAuthCode : DingSuiteEvent
{
    /// <summary>The temporary authorisation code, exchanged for the permanent one (<c>AuthCode</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? AuthCode { get; init; }
}

/// <summary><c>change_auth</c>: an organisation changed the app's contact-scope authorisation.</summary>
public sealed record ChangeAuth : DingSuiteEvent;

/// <summary><c>suite_relieve</c>: an organisation revoked the app's authorisation.</summary>
public sealed record SuiteRelieve : DingSuiteEvent;

/// <summary>An organisation disabled, re-enabled or deleted a micro app (<c>org_micro_app_*</c>). Open so one handler can take several.</summary>
public record DingMicroAppEvent : DingSuiteEvent
{
    /// <summary>The app's agent id (<c>AgentId</c>/<c>agentId</c>); exceeds int32.</summary>
    public long? AgentId { get; init; }

    /// <summary>The app id (<c>AppId</c>).</summary>
    public long? AppId { get; init; }
}

/// <summary><c>org_micro_app_stop</c>: the organisation disabled the app.</summary>
public sealed record OrgMicroAppStop : DingMicroAppEvent;

/// <summary><c>org_micro_app_restore</c>: the organisation re-enabled the app.</summary>
public sealed record OrgMicroAppRestore : DingMicroAppEvent;

/// <summary><c>org_micro_app_remove</c>: the organisation deleted the app.</summary>
public sealed record OrgMicroAppRemove : DingMicroAppEvent;

/// <summary>
/// <c>market_buy</c>: an order was placed in the app market. The documented members are typed; the other
/// members of the order (about 40 in all) are kept raw in <see cref="Extra"/>.
/// </summary>
public sealed record MarketBuy : DingSuiteEvent
{
    /// <summary>The order id.</summary>
    public long? OrderId { get; init; }

    /// <summary>The external trade number (<c>outTradeNo</c>), as the digits sent.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OutTradeNo { get; init; }

    /// <summary>The goods code.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? GoodsCode { get; init; }

    /// <summary>The goods name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? GoodsName { get; init; }

    /// <summary>The buying organisation.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BuyCorpId { get; init; }

    /// <summary>The buyer's user id.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? BuyUserId { get; init; }

    /// <summary>The specification (item) code.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? ItemCode { get; init; }

    /// <summary>The specification (item) name.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? ItemName { get; init; }

    /// <summary>Quantity bought.</summary>
    public long? SubQuantity { get; init; }

    /// <summary>Maximum number of people of the item.</summary>
    public long? MaxOfPeople { get; init; }

    /// <summary>Minimum number of people of the item.</summary>
    public long? MinOfPeople { get; init; }

    /// <summary>Service start, Unix milliseconds.</summary>
    public long? ServiceStartTime { get; init; }

    /// <summary>Service end, Unix milliseconds.</summary>
    public long? ServiceStopTime { get; init; }

    /// <summary>When the order was paid, Unix milliseconds (JSON <c>paidtime</c>).</summary>
    public long? PaidTime { get; init; }

    /// <summary>Amount paid, in fen (0.01 CNY).</summary>
    public long? PayFee { get; init; }

    /// <summary>Nominal price, in fen.</summary>
    public long? NominalPayFee { get; init; }

    /// <summary>Discount amount, in fen.</summary>
    public long? DiscountFee { get; init; }

    /// <summary>Discount rate.</summary>
    public double? Discount { get; init; }

    /// <summary>The order type.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OrderType { get; init; }

    /// <summary>The charge type of the order.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? OrderChargeType { get; init; }

    /// <summary>The sale model.</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? SaleModelType { get; init; }

    /// <summary>Every other member of the order, raw, by its JSON name.</summary>
    /// <remarks>Settable rather than init-only: System.Text.Json cannot fill init-only extension data.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>main_data_subscribe</c>: an organisation authorised a master-data subscription.</summary>
public sealed record MainDataSubscribe : DingSuiteEvent
{
    /// <summary>The target app (<c>targetApp</c>), raw.</summary>
    public JsonElement? TargetApp { get; init; }

    /// <summary>The master-data event model id (<c>MainEventModelId</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? MainEventModelId { get; init; }

    /// <summary>The rights granted (<c>SubAuth</c>).</summary>
    public MainDataSubAuth? SubAuth { get; init; }

    /// <summary>Whether the subscription was created (<c>IsCreate</c>).</summary>
    public bool? IsCreate { get; init; }
}

/// <summary>The rights of a master-data subscription.</summary>
public sealed record MainDataSubAuth
{
    /// <summary>May create.</summary>
    public bool? Create { get; init; }

    /// <summary>May read.</summary>
    public bool? Read { get; init; }

    /// <summary>May update.</summary>
    public bool? Update { get; init; }

    /// <summary>May delete.</summary>
    public bool? Delete { get; init; }
}

/// <summary><c>org_suite_auth</c> (Stream / sync HTTP): an organisation authorised the suite; the objects are kept raw.</summary>
public sealed record OrgSuiteAuth : DingEventPayload
{
    /// <summary>The authorising organisation (<c>authCorpInfo</c>).</summary>
    public JsonElement? AuthCorpInfo { get; init; }

    /// <summary>The authorisation (<c>authInfo</c>).</summary>
    public JsonElement? AuthInfo { get; init; }

    /// <summary>The authorising user (<c>authUserInfo</c>).</summary>
    public JsonElement? AuthUserInfo { get; init; }

    /// <summary>The contact scope granted (<c>authScope</c>).</summary>
    public JsonElement? AuthScope { get; init; }

    /// <summary>The organisation's permanent code (<c>permanentCode</c>).</summary>
    [JsonConverter(typeof(DingLenientStringConverter))]
    public string? PermanentCode { get; init; }
}

/// <summary><c>org_suite_relieve</c> (Stream / sync HTTP): an organisation revoked the suite (empty data).</summary>
public sealed record OrgSuiteRelieve : DingEventPayload;
