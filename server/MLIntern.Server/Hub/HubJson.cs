using System.Globalization;
using MLIntern.Data.Hub;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Hub;

/// <summary>
/// The Hub's and the dataset viewer's JSON answers read into the core's records. Tolerant: a field
/// that is missing or of another type is left unknown, never an exception; only an answer without
/// the one field a record cannot do without (a data set's id) gives null.
/// </summary>
internal static class HubJson
{
    /// <summary>A cell of the first rows is shown up to this many characters.</summary>
    private const int MaxCell = 200;

    /// <summary>An entry of `GET /api/datasets` or the answer of `GET /api/datasets/{id}`.</summary>
    public static HubDatasetSummary? Summary(JObject o)
    {
        if (Text(o["id"]) is not { } id)
        {
            return null;
        }

        var tags = Strings(o["tags"]);
        var card = o["cardData"] as JObject;
        IReadOnlyList<string> Tagged(string prefix) =>
            [.. tags.Where(t => t.StartsWith(prefix + ":", StringComparison.Ordinal)).Select(t => t[(prefix.Length + 1)..]).Distinct(StringComparer.Ordinal)];

        var tasks = Strings(card?["task_categories"]) is { Count: > 0 } fromCard ? fromCard : Tagged("task_categories");
        var languages = Strings(card?["language"]) is { Count: > 0 } cardLanguages ? cardLanguages : Tagged("language");
        var license = Strings(card?["license"]) is { Count: > 0 } cardLicense ? string.Join(", ", cardLicense) : Tagged("license") is { Count: > 0 } taggedLicense ? string.Join(", ", taggedLicense) : null;
        var size = Strings(card?["size_categories"]).FirstOrDefault() ?? Tagged("size_categories").FirstOrDefault();
        var gated = o["gated"] switch
        {
            JValue { Type: JTokenType.String } v when string.Equals((string?)v, "manual", StringComparison.OrdinalIgnoreCase) => HubGating.Manual,
            JValue { Type: JTokenType.String } => HubGating.Auto,
            JValue { Type: JTokenType.Boolean } v when (bool)v => HubGating.Auto,
            _ => HubGating.None,
        };
        DateTimeOffset? modified = o["lastModified"] switch
        {
            JValue { Value: DateTimeOffset d } => d,
            JValue { Value: DateTime d } => new DateTimeOffset(d.ToUniversalTime()),
            JValue { Type: JTokenType.String } v when DateTimeOffset.TryParse((string?)v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
            _ => null,
        };
        return new HubDatasetSummary(id, Text(o["sha"]), modified, Long(o["downloads"]), Long(o["likes"]), tasks, languages, license, size, gated, o["private"] is JValue { Type: JTokenType.Boolean } p && (bool)p);
    }

    /// <summary>`/splits`: every (config, split) pair.</summary>
    public static IReadOnlyList<HubSplit> Splits(JToken json) =>
        json["splits"] is JArray splits
            ? [.. splits.OfType<JObject>().Where(s => Text(s["config"]) is not null && Text(s["split"]) is not null)
                .Select(s => new HubSplit(Text(s["config"])!, Text(s["split"])!, Long(s["num_examples"]), Long(s["num_bytes"])))]
            : [];

    /// <summary>`/info`: the description, and the row and byte counts of each split of the config.</summary>
    public static (string? Description, IReadOnlyDictionary<string, (long? Rows, long? Bytes)> Sizes) Info(JToken json)
    {
        var info = json["dataset_info"] as JObject;
        var sizes = new Dictionary<string, (long?, long?)>(StringComparer.Ordinal);
        if (info?["splits"] is JObject splits)
        {
            foreach (var property in splits.Properties())
            {
                if (property.Value is JObject split)
                {
                    sizes[property.Name] = (Long(split["num_examples"]), Long(split["num_bytes"]));
                }
            }
        }

        return (Text(info?["description"]) is { Length: > 0 } d ? d : null, sizes);
    }

    /// <summary>`/first-rows`: the columns (features) and the rows, each cell as short text.</summary>
    public static (IReadOnlyList<HubColumn> Columns, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows) FirstRows(JToken json, int maxRows)
    {
        var columns = json["features"] is JArray features
            ? features.OfType<JObject>().Where(f => Text(f["name"]) is not null)
                .Select(f => new HubColumn(Text(f["name"])!, f["type"] is JObject type ? Text(type["dtype"]) ?? Text(type["_type"]) ?? "unknown" : "unknown")).ToList()
            : [];
        var rows = json["rows"] is JArray items
            ? items.OfType<JObject>().Select(r => r["row"] as JObject).OfType<JObject>().Take(maxRows)
                .Select(r => (IReadOnlyDictionary<string, string>)r.Properties().ToDictionary(p => p.Name, p => Cell(p.Value), StringComparer.Ordinal)).ToList()
            : [];
        return (columns, rows);
    }

    /// <summary>`/statistics` of one split.</summary>
    public static HubSplitStatistics? Statistics(JToken json, string config, string split)
    {
        if (json["statistics"] is not JArray columns)
        {
            return null;
        }

        var read = new List<HubColumnStatistics>();
        foreach (var column in columns.OfType<JObject>())
        {
            if (Text(column["column_name"]) is not { } name)
            {
                continue;
            }

            var stats = column["column_statistics"] as JObject;
            var frequencies = stats?["frequencies"] is JObject f
                ? f.Properties().Select(p => new HubValueCount(p.Name, Long(p.Value) ?? 0)).OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).ToList()
                : [];
            read.Add(new HubColumnStatistics(name, Text(column["column_type"]) ?? "unknown", Long(stats?["nan_count"]) ?? 0, Long(stats?["n_unique"]), frequencies,
                Double(stats?["min"]), Double(stats?["max"]), Double(stats?["mean"])));
        }

        return new HubSplitStatistics(config, split, Long(json["num_examples"]) ?? 0, json["partial"] is JValue { Type: JTokenType.Boolean } p && (bool)p, read);
    }

    /// <summary>`/is-valid`: whether the viewer has statistics (false when the answer does not say).</summary>
    public static bool HasStatistics(JToken json) => json["statistics"] is JValue { Type: JTokenType.Boolean } v && (bool)v;

    /// <summary>`/parquet`: the files and the viewer's `partial` flag (a conversion of only the first part of a big data set).</summary>
    public static (IReadOnlyList<HubParquetFile> Files, bool Partial)? ParquetFiles(JToken json)
    {
        if (json["parquet_files"] is not JArray files)
        {
            return null;
        }

        var list = files.OfType<JObject>()
            .Where(f => Text(f["config"]) is not null && Text(f["split"]) is not null && Text(f["url"]) is not null && Long(f["size"]) is >= 0)
            .Select(f => new HubParquetFile(Text(f["config"])!, Text(f["split"])!, Text(f["url"])!, Text(f["filename"]) ?? "data.parquet", Long(f["size"])!.Value))
            .ToList();
        return (list, json["partial"] is JValue { Type: JTokenType.Boolean } p && (bool)p);
    }

    private static string Cell(JToken value)
    {
        var text = value.Type switch
        {
            JTokenType.String => (string?)value ?? "",
            JTokenType.Null => "",
            _ => value.ToString(Newtonsoft.Json.Formatting.None),
        };
        return text.Length > MaxCell ? text[..MaxCell] + "…" : text;
    }

    private static string? Text(JToken? token) => token is JValue { Type: JTokenType.String } v ? (string?)v : null;

    private static long? Long(JToken? token) =>
        Double(token) is { } d && d is >= long.MinValue and <= long.MaxValue && !double.IsNaN(d) ? (long)d : null;

    private static double? Double(JToken? token) =>
        token is JValue { Type: JTokenType.Integer or JTokenType.Float, Value: IConvertible number } ? number.ToDouble(CultureInfo.InvariantCulture) : null;

    private static IReadOnlyList<string> Strings(JToken? token) => token switch
    {
        JValue { Type: JTokenType.String } v when !string.IsNullOrWhiteSpace((string?)v) => [(string)v!],
        JArray a => [.. a.OfType<JValue>().Where(v => v.Type == JTokenType.String).Select(v => (string)v!).Where(s => !string.IsNullOrWhiteSpace(s))],
        _ => [],
    };
}
