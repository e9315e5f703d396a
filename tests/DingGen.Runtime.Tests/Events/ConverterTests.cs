using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DingGen.Events;

namespace DingGen.Runtime.Tests.Events;

public sealed class ConverterTests
{
    private static readonly JsonSerializerOptions Options = DingEventsJsonContext.Default.Options;

    [Theory]
    [InlineData("\"0214382847291053\"", "0214382847291053")]
    [InlineData("71234567890", "71234567890")]
    [InlineData("0.50", "0.50")]
    [InlineData("1e3", "1e3")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("\"\"", "")]
    [InlineData("true", "true")]
    [InlineData("\"\\u0030214\"", "0214")]
    public void Lenient_string_keeps_the_exact_text(string json, string expected)
    {
        Assert.Equal(expected, Read(new DingLenientStringConverter(), json));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    public void Lenient_string_rejects_structures(string json)
    {
        Assert.Throws<JsonException>(() => Read(new DingLenientStringConverter(), json));
    }

    [Theory]
    [InlineData("[\"0214382847291053\",202844352662984130,\"manager7791\"]", new[] { "0214382847291053", "202844352662984130", "manager7791" })]
    [InlineData("[]", new string[0])]
    [InlineData("\"0214382847291053\"", new[] { "0214382847291053" })]
    [InlineData("771", new[] { "771" })]
    public void Lenient_string_list_accepts_strings_numbers_and_a_lone_scalar(string json, string[] expected)
    {
        Assert.Equal(expected, Read(new DingLenientStringListConverter(), json));
    }

    [Fact]
    public void Lenient_string_list_rejects_objects()
    {
        Assert.Throws<JsonException>(() => Read(new DingLenientStringListConverter(), "[{\"id\":1}]"));
    }

    [Theory]
    [InlineData("[612345678]", new[] { 612345678L })]
    [InlineData("[\"432825033\"]", new[] { 432825033L })]
    [InlineData("[1,\"2\",9223372036854775807]", new[] { 1L, 2L, long.MaxValue })]
    [InlineData("\"432825033\"", new[] { 432825033L })]
    [InlineData("[]", new long[0])]
    public void Lenient_int64_list_accepts_numbers_and_strings(string json, long[] expected)
    {
        Assert.Equal(expected, Read(new DingLenientInt64ListConverter(), json));
    }

    [Theory]
    [InlineData("[\"x\"]")]
    [InlineData("[1.5]")]
    [InlineData("[9223372036854775808]")]
    [InlineData("[null]")]
    [InlineData("{}")]
    public void Lenient_int64_list_rejects_what_is_not_an_int64(string json)
    {
        Assert.Throws<JsonException>(() => Read(new DingLenientInt64ListConverter(), json));
    }

    [Theory]
    [InlineData("\"{\\\"a\\\":1}\"", "{\"a\":1}")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("12", "12")]
    public void Json_text_keeps_strings_and_raw_json(string json, string expected)
    {
        Assert.Equal(expected, Read(new DingJsonTextConverter(), json));
    }

    [Fact]
    public void Json_text_list_keeps_strings_and_raw_json()
    {
        Assert.Equal(["{\"id\":1}", "{\"id\":2}", "3"], Read(new DingJsonTextListConverter(), "[\"{\\\"id\\\":1}\",{\"id\":2},3]"));
    }

    [Fact]
    public void Null_members_read_as_null()
    {
        var e = EventJson.Parse<UserAddOrg>("""{"EventType":null,"UserId":null,"TimeStamp":null,"CorpId":null}""");
        var d = EventJson.Parse<OrgDeptCreate>("""{"DeptId":null}""");

        Assert.Null(e.EventType);
        Assert.Null(e.UserId);
        Assert.Null(e.TimeStamp);
        Assert.Null(e.TimeStampMilliseconds);
        Assert.Null(d.DeptId);
    }

    [Fact]
    public void Time_stamp_that_is_not_an_integer_has_no_milliseconds()
    {
        Assert.Null(EventJson.Parse<CheckIn>("""{"TimeStamp":"soon"}""").TimeStampMilliseconds);
    }

    [Fact]
    public void Converters_write_what_they_read()
    {
        Assert.Equal("\"71234567890\"", Write(new DingLenientStringConverter(), "71234567890"));
        Assert.Equal("[\"0214\",\"7\"]", Write(new DingLenientStringListConverter(), (IReadOnlyList<string>)["0214", "7"]));
        Assert.Equal("[612345678]", Write(new DingLenientInt64ListConverter(), (IReadOnlyList<long>)[612345678L]));
        Assert.Equal("null", Write(new DingLenientStringConverter(), null));
    }

    private static T? Read<T>(JsonConverter<T> converter, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Assert.True(reader.Read());
        return converter.Read(ref reader, typeof(T), Options);
    }

    private static string Write<T>(JsonConverter<T> converter, T value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            converter.Write(writer, value, Options);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
