using System.Globalization;
using System.Text.Json;

namespace MLIntern.Training.Metrics;

/// <summary>
/// Readers for the three places metrics come from: ML Intern's metrics.jsonl, a Hugging Face
/// trainer_state.json (its log_history), and the log dicts the Trainer prints. None throws on bad
/// input: a line or entry that is not a metric is skipped.
/// </summary>
public static class MetricSources
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowTrailingCommas = true };

    /// <summary>One line of metrics.jsonl: {"step": 10, "epoch": 0.5, "split": "train", "loss": 0.61, …}. Null when it is not one.</summary>
    public static MetricPoint? ParseJsonLine(string line)
    {
        if (line.Length == 0 || line.Length > 1 << 20 || line[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line, Options);
            return document.RootElement.ValueKind == JsonValueKind.Object ? FromObject(document.RootElement, null) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The log_history of a trainer_state.json: training entries (loss, learning_rate, grad_norm) as
    /// split "train", evaluation entries (eval_*) as split "eval" with the prefix dropped, and the
    /// closing summary (train_runtime, train_loss, …) as split "summary".
    /// </summary>
    public static IReadOnlyList<MetricPoint> ParseTrainerState(string json)
    {
        var points = new List<MetricPoint>();
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("log_history", out var history) ||
                history.ValueKind != JsonValueKind.Array)
            {
                return points;
            }

            foreach (var entry in history.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && FromObject(entry, null) is { } point)
                {
                    points.Add(point);
                }
            }
        }
        catch (JsonException)
        {
        }

        return points;
    }

    /// <summary>
    /// A Trainer log line as printed: a Python dict repr such as
    /// <c>{'loss': 0.5312, 'grad_norm': 3.1, 'learning_rate': 5e-05, 'epoch': 1.0}</c>, possibly after a
    /// progress bar on the same line. Values may be numbers, nan/inf, or strings (skipped).
    /// </summary>
    public static MetricPoint? ParseTrainerLogLine(string line)
    {
        // A progress bar redraws with \r; the dict is the last thing on the line.
        var start = line.LastIndexOf("{'", StringComparison.Ordinal);
        var end = line.LastIndexOf('}');
        if (start < 0 || end < start || end - start > 1 << 16)
        {
            return null;
        }

        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var body = line.AsSpan(start + 1, end - start - 1);
        var i = 0;
        while (i < body.Length)
        {
            while (i < body.Length && (body[i] == ' ' || body[i] == ','))
            {
                i++;
            }

            if (i >= body.Length)
            {
                break;
            }

            if (body[i] is not ('\'' or '"'))
            {
                return null;
            }

            var quote = body[i];
            var close = body[(i + 1)..].IndexOf(quote);
            if (close < 0)
            {
                return null;
            }

            var key = body.Slice(i + 1, close).ToString();
            i += close + 2;
            while (i < body.Length && body[i] == ' ')
            {
                i++;
            }

            if (i >= body.Length || body[i] != ':')
            {
                return null;
            }

            i++;
            while (i < body.Length && body[i] == ' ')
            {
                i++;
            }

            var valueStart = i;
            if (i < body.Length && body[i] is '\'' or '"')
            {
                // A string value (e.g. a timestamp): skip it whole.
                var q = body[i];
                var closeValue = body[(i + 1)..].IndexOf(q);
                i = closeValue < 0 ? body.Length : i + closeValue + 2;
                continue;
            }

            while (i < body.Length && body[i] != ',')
            {
                i++;
            }

            var text = body[valueStart..i].Trim().ToString();
            if (ParseNumber(text) is { } number)
            {
                values[key] = number;
            }
        }

        return values.Count == 0 ? null : Split(values, null);
    }

    private static double? ParseNumber(string text) => text switch
    {
        "nan" or "NaN" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "True" => 1,
        "False" => 0,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
    };

    private static MetricPoint? FromObject(JsonElement element, string? split)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "split" && property.Value.ValueKind == JsonValueKind.String)
            {
                split = property.Value.GetString();
            }
            else if (property.Value.ValueKind == JsonValueKind.Number)
            {
                values[property.Name] = property.Value.GetDouble();
            }
            else if (property.Value.ValueKind == JsonValueKind.String && ParseNumber(property.Value.GetString() ?? "") is { } n && property.Value.GetString() is "nan" or "NaN" or "inf" or "-inf")
            {
                values[property.Name] = n;
            }
        }

        return values.Count == 0 ? null : Split(values, split);
    }

    /// <summary>Takes step and epoch out of the values, and decides the split from the keys when none was given.</summary>
    private static MetricPoint? Split(SortedDictionary<string, double> values, string? split)
    {
        long? step = values.Remove("step", out var s) ? (long)s : null;
        double? epoch = values.Remove("epoch", out var e) ? e : null;
        if (split is null)
        {
            if (values.Keys.Any(k => k.StartsWith("eval_", StringComparison.Ordinal)))
            {
                split = "eval";
                foreach (var key in values.Keys.Where(k => k.StartsWith("eval_", StringComparison.Ordinal)).ToList())
                {
                    values.Remove(key, out var v);
                    values[key["eval_".Length..]] = v;
                }
            }
            else if (values.Keys.Any(k => k.StartsWith("test_", StringComparison.Ordinal)))
            {
                split = "test";
                foreach (var key in values.Keys.Where(k => k.StartsWith("test_", StringComparison.Ordinal)).ToList())
                {
                    values.Remove(key, out var v);
                    values[key["test_".Length..]] = v;
                }
            }
            else
            {
                split = values.ContainsKey("train_runtime") ? "summary" : "train";
            }
        }

        return values.Count == 0 && step is null ? null : new MetricPoint(step, epoch, split, values);
    }
}
