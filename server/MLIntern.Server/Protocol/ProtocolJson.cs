using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace MLIntern.Server.Protocol;

/// <summary>
/// The one JSON configuration of the protocol: every `mlintern/*` request and answer, every
/// notification, and the CLI's `--format json` output, which is the same records. Properties are
/// camelCase (dictionary keys as they are), enums camelCase strings, and a null is left out, so an
/// optional field is absent rather than null. Files on disk have their own configuration (the store's).
/// </summary>
internal static class ProtocolJson
{
    public static JsonSerializerSettings Settings { get; } = Create(Formatting.None);

    /// <summary>The same configuration, indented: what the CLI prints.</summary>
    public static JsonSerializerSettings Indented { get; } = Create(Formatting.Indented);

    public static JsonSerializer Serializer { get; } = JsonSerializer.Create(Settings);

    /// <summary>Applies the configuration to a serializer someone else made (StreamJsonRpc's formatter).</summary>
    public static void Configure(JsonSerializer serializer)
    {
        serializer.ContractResolver = Settings.ContractResolver!;
        serializer.NullValueHandling = Settings.NullValueHandling;
        serializer.DateParseHandling = Settings.DateParseHandling;
        foreach (var converter in Settings.Converters)
        {
            serializer.Converters.Add(converter);
        }
    }

    public static string Write(object? value, bool indented = false) => JsonConvert.SerializeObject(value, indented ? Indented : Settings);

    private static JsonSerializerSettings Create(Formatting formatting) => new()
    {
        ContractResolver = new DefaultContractResolver { NamingStrategy = new CamelCaseNamingStrategy { ProcessDictionaryKeys = false } },
        Converters = { new StringEnumConverter(new CamelCaseNamingStrategy()) },
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        Formatting = formatting,
    };
}
