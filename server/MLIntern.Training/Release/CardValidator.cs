using System.Text.RegularExpressions;

namespace MLIntern.Training.Release;

/// <summary>
/// A problem in a card's metadata: an error blocks publishing, a warning does not.
/// <paramref name="Unfilled"/>: the problem is only that <paramref name="Field"/> is still unfilled
/// (the card's unfilled list names it too), so a reader can show that list once.
/// </summary>
public sealed record CardProblem(string Severity, string Field, string Message, bool Unfilled = false)
{
    public const string Error = "error";
    public const string Warning = "warning";
}

/// <summary>
/// The Hub's metadata rules, checked locally (no network): the front matter parses; <c>license</c>
/// is one of the Hub's license identifiers (<c>other</c> needs <c>license_name</c> and
/// <c>license_link</c>); <c>library_name</c> is present; <c>pipeline_tag</c> is a known task;
/// <c>language</c> holds ISO 639 codes; <c>model-index</c> is a list of {name, results[]} where every
/// result has <c>task.type</c>, <c>dataset.type</c>, <c>dataset.name</c> and a non-empty
/// <c>metrics</c> list of {type, value (a number)}. A README also must not keep unfilled fields:
/// "[More Information Needed]" or a field listed under the unfilled marker.
/// </summary>
public static partial class CardValidator
{
    /// <summary>The Hub's license identifiers (huggingface.co/docs/hub/repositories-licenses).</summary>
    public static readonly IReadOnlySet<string> Licenses = new HashSet<string>(StringComparer.Ordinal)
    {
        "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
        "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear",
        "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0",
        "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0",
        "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0",
        "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0",
        "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc", "h-research", "intel-research",
        "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr", "mpl-2.0", "odc-by", "odbl", "openrail++", "osl-3.0",
        "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license",
        "fair-noncommercial-research-license", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma",
        "unknown", "other",
    };

    /// <summary>Tasks a text model card may name as pipeline_tag / task.type (the Hub's task ids for text).</summary>
    public static readonly IReadOnlySet<string> Tasks = new HashSet<string>(StringComparer.Ordinal)
    {
        "text-classification", "token-classification", "zero-shot-classification", "sentence-similarity", "feature-extraction",
        "fill-mask", "question-answering", "summarization", "translation", "text-generation", "text2text-generation",
        "table-question-answering",
    };

    /// <summary>Libraries the Hub integrates (widgets, code snippets); any other value is accepted with a warning.</summary>
    public static readonly IReadOnlySet<string> KnownLibraries = new HashSet<string>(StringComparer.Ordinal)
    {
        "transformers", "sentence-transformers", "setfit", "sklearn", "fasttext", "spacy", "flair", "peft", "onnx", "keras",
        "tf-keras", "pytorch", "adapter-transformers", "span-marker", "gliner", "generic",
    };

    public const string Unfilled = "[More Information Needed]";

    /// <summary>The HTML comment that lists the unfilled fields: &lt;!-- mlintern:unfilled a, b --&gt;.</summary>
    public const string UnfilledMarker = "mlintern:unfilled";

    public static IReadOnlyList<CardProblem> ValidateReadme(string readme)
    {
        var (front, body, _) = MiniYaml.SplitFrontMatter(readme);
        if (front is null)
        {
            return [new CardProblem(CardProblem.Error, "metadata", "README.md has no YAML front matter (--- … --- at the top)")];
        }

        var (metadata, errors) = MiniYaml.Read(front);
        var problems = errors.Select(e => new CardProblem(CardProblem.Error, "metadata", $"YAML line {e.Line + 1}: {e.Message}")).ToList();
        problems.AddRange(Validate(metadata));
        problems.AddRange(UnfilledFields(readme).Select(f => new CardProblem(CardProblem.Error, f, $"unfilled: {f}", Unfilled: true)));
        if (body.Contains(Unfilled, StringComparison.Ordinal))
        {
            problems.Add(new CardProblem(CardProblem.Error, "body", $"the card still says \"{Unfilled}\""));
        }

        return problems;
    }

    /// <summary>The fields the unfilled marker lists.</summary>
    /// <summary>Whether the card's front matter lists <paramref name="datasetId"/> under `datasets:`.</summary>
    public static bool NamesDataset(string readme, string datasetId)
    {
        var (front, _, _) = MiniYaml.SplitFrontMatter(readme);
        if (front is null)
        {
            return false;
        }

        return MiniYaml.Read(front).Value.GetValueOrDefault("datasets") switch
        {
            string one => one == datasetId,
            IEnumerable<object?> many => many.OfType<string>().Contains(datasetId, StringComparer.Ordinal),
            _ => false,
        };
    }

    public static IReadOnlyList<string> UnfilledFields(string readme)
    {
        var match = UnfilledComment().Match(readme);
        return match.Success ? [.. match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : [];
    }

    public static IReadOnlyList<CardProblem> Validate(OrderedDictionary<string, object?> metadata)
    {
        var problems = new List<CardProblem>();
        void Error(string field, string message) => problems.Add(new CardProblem(CardProblem.Error, field, message));
        void Warn(string field, string message) => problems.Add(new CardProblem(CardProblem.Warning, field, message));

        switch (metadata.GetValueOrDefault("license"))
        {
            case null:
                Error("license", "license is missing");
                break;
            case string license when !Licenses.Contains(license):
                Error("license", $"'{license}' is not a Hub license identifier (use one of apache-2.0, mit, cc-by-4.0, …, or other with license_name and license_link)");
                break;
            case "other" when metadata.GetValueOrDefault("license_name") is not string || metadata.GetValueOrDefault("license_link") is not string:
                Error("license", "license: other needs license_name and license_link");
                break;
            case string:
                break;
            default:
                Error("license", "license must be a single identifier");
                break;
        }

        switch (metadata.GetValueOrDefault("library_name"))
        {
            case string library when library.Length > 0:
                if (!KnownLibraries.Contains(library))
                {
                    Warn("library_name", $"'{library}' is not a library the Hub integrates: no widget or code snippet will be shown");
                }

                break;
            default:
                Error("library_name", "library_name is missing (set it explicitly; the Hub's guess may be wrong)");
                break;
        }

        if (metadata.GetValueOrDefault("pipeline_tag") is { } tag && (tag is not string t || !Tasks.Contains(t)))
        {
            Error("pipeline_tag", $"pipeline_tag '{tag}' is not a known task");
        }

        foreach (var language in Strings(metadata.GetValueOrDefault("language"), "language", problems))
        {
            if (!LanguageCode().IsMatch(language))
            {
                Error("language", $"'{language}' is not an ISO 639-1/639-3 code");
            }
        }

        _ = Strings(metadata.GetValueOrDefault("datasets"), "datasets", problems);
        _ = Strings(metadata.GetValueOrDefault("tags"), "tags", problems);
        _ = Strings(metadata.GetValueOrDefault("base_model"), "base_model", problems);

        if (!metadata.TryGetValue("model-index", out var index))
        {
            Warn("model-index", "no model-index: the Hub shows no evaluation results");
            return problems;
        }

        if (index is not List<object?> models || models.Count == 0)
        {
            Error("model-index", "model-index must be a non-empty list");
            return problems;
        }

        for (var m = 0; m < models.Count; m++)
        {
            var at = $"model-index[{m}]";
            if (models[m] is not OrderedDictionary<string, object?> model)
            {
                Error(at, "must be a mapping with name and results");
                continue;
            }

            if (model.GetValueOrDefault("name") is not string { Length: > 0 })
            {
                Error(at + ".name", "name is required");
            }

            if (model.GetValueOrDefault("results") is not List<object?> { Count: > 0 } results)
            {
                Error(at + ".results", "results must be a non-empty list");
                continue;
            }

            for (var r = 0; r < results.Count; r++)
            {
                var rat = $"{at}.results[{r}]";
                if (results[r] is not OrderedDictionary<string, object?> result)
                {
                    Error(rat, "must be a mapping with task, dataset and metrics");
                    continue;
                }

                var task = result.GetValueOrDefault("task") as OrderedDictionary<string, object?>;
                if (task?.GetValueOrDefault("type") is not string taskType)
                {
                    Error(rat + ".task.type", "task.type is required");
                }
                else if (!Tasks.Contains(taskType))
                {
                    Error(rat + ".task.type", $"'{taskType}' is not a known task");
                }

                var dataset = result.GetValueOrDefault("dataset") as OrderedDictionary<string, object?>;
                foreach (var field in new[] { "type", "name" })
                {
                    if (dataset?.GetValueOrDefault(field) is not string { Length: > 0 })
                    {
                        Error($"{rat}.dataset.{field}", $"dataset.{field} is required");
                    }
                }

                if (result.GetValueOrDefault("metrics") is not List<object?> { Count: > 0 } metrics)
                {
                    Error(rat + ".metrics", "metrics must be a non-empty list");
                    continue;
                }

                for (var k = 0; k < metrics.Count; k++)
                {
                    var metric = metrics[k] as OrderedDictionary<string, object?>;
                    if (metric?.GetValueOrDefault("type") is not string { Length: > 0 })
                    {
                        Error($"{rat}.metrics[{k}].type", "metric type is required");
                    }

                    if (metric?.GetValueOrDefault("value") is not double)
                    {
                        Error($"{rat}.metrics[{k}].value", "metric value must be a number");
                    }
                }
            }
        }

        return problems;
    }

    private static IEnumerable<string> Strings(object? value, string field, List<CardProblem> problems)
    {
        switch (value)
        {
            case null:
                return [];
            case string s:
                return [s];
            case List<object?> list when list.All(x => x is string):
                return list.Cast<string>();
            default:
                problems.Add(new CardProblem(CardProblem.Error, field, $"{field} must be a string or a list of strings"));
                return [];
        }
    }

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageCode();

    [GeneratedRegex(@"<!--\s*mlintern:unfilled\s+([^>]*?)\s*-->")]
    private static partial Regex UnfilledComment();
}
