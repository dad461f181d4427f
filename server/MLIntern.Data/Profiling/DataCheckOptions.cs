namespace MLIntern.Data.Profiling;

/// <summary>
/// The thresholds of the data checks. Every one can be set in <c>pyproject.toml</c> under
/// <c>[tool.mlintern]</c> and in the editor's settings, under the keys of <see cref="DataSettingKeys"/>.
/// </summary>
public sealed record DataCheckOptions
{
    public string? TextColumn { get; init; }

    public string? LabelColumn { get; init; }

    /// <summary>Examples kept per check (and shown as row diagnostics).</summary>
    public int MaxExamples { get; init; } = 5;

    /// <summary>MLD005: largest class / smallest class at or above this.</summary>
    public double ImbalanceRatio { get; init; } = 10;

    /// <summary>MLD006: classes with fewer examples than this.</summary>
    public int MinClassExamples { get; init; } = 10;

    /// <summary>MLD004/MLD007: estimated Jaccard similarity of word shingles at or above this is a near-duplicate.</summary>
    public double NearDuplicateThreshold { get; init; } = 0.7;

    /// <summary>MLD010: texts longer than this many characters.</summary>
    public int MaxTextChars { get; init; } = 5000;

    /// <summary>MLD011: a label column with more classes than this looks like free text or IDs.</summary>
    public int MaxLabelClasses { get; init; } = 200;

    /// <summary>Set false to profile without the near-duplicate search (the facts service does).</summary>
    public bool NearDuplicates { get; init; } = true;

    /// <summary>
    /// MLD007's paraphrase part, opted in (`paraphrase-overlap`, the editor's `mlintern.data.paraphraseOverlap`,
    /// `mlintern check --paraphrases`): off by default, as it needs a sentence encoder. It runs when this is set
    /// and the host gave <see cref="Embed"/>.
    /// </summary>
    public bool ParaphraseOverlap { get; init; }

    /// <summary>The sentence encoder MLD007's paraphrase part embeds texts with; the host supplies it, only when <see cref="ParaphraseOverlap"/> is set.</summary>
    public Checks.TextEmbedder? Embed { get; init; }

    /// <summary>MLD007's paraphrase part compares at most this many rows of train, and of the evaluation splits (the first ones read).</summary>
    public int MaxParaphraseRows { get; init; } = 10_000;
}

/// <summary>The one table of setting names: pyproject.toml keys (kebab-case) and editor settings (camelCase under mlintern.data).</summary>
public static class DataSettingKeys
{
    public static readonly IReadOnlyList<(string Toml, string Setting)> All =
    [
        ("text-column", "textColumn"),
        ("label-column", "labelColumn"),
        ("max-examples", "maxExamples"),
        ("imbalance-ratio", "imbalanceRatio"),
        ("min-class-examples", "minClassExamples"),
        ("near-duplicate-threshold", "nearDuplicateThreshold"),
        ("max-text-chars", "maxTextChars"),
        ("max-label-classes", "maxLabelClasses"),
        ("paraphrase-overlap", "paraphraseOverlap"),
    ];

    /// <summary>Applies settings by either spelling; unknown keys and bad values are returned as problems, never thrown.</summary>
    public static DataCheckOptions Apply(DataCheckOptions options, IEnumerable<KeyValuePair<string, string>> values, List<string> problems)
    {
        foreach (var (key, value) in values)
        {
            var name = All.FirstOrDefault(k => k.Toml == key || k.Setting == key).Toml;
            double number = 0;
            if (name == "paraphrase-overlap")
            {
                if (bool.TryParse(value.Trim(), out var on))
                {
                    options = options with { ParaphraseOverlap = on };
                }
                else
                {
                    problems.Add($"{key} = {value}: not true or false");
                }

                continue;
            }

            var numeric = name is not (null or "text-column" or "label-column");
            if (numeric && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out number))
            {
                problems.Add($"{key} = {value}: not a number");
                continue;
            }

            options = name switch
            {
                "text-column" => options with { TextColumn = value },
                "label-column" => options with { LabelColumn = value },
                "max-examples" => options with { MaxExamples = (int)Math.Clamp(number, 0, 1000) },
                "imbalance-ratio" => options with { ImbalanceRatio = Math.Max(1, number) },
                "min-class-examples" => options with { MinClassExamples = (int)Math.Clamp(number, 0, int.MaxValue) },
                "near-duplicate-threshold" => options with { NearDuplicateThreshold = Math.Clamp(number, 0.05, 1) },
                "max-text-chars" => options with { MaxTextChars = (int)Math.Clamp(number, 1, int.MaxValue) },
                "max-label-classes" => options with { MaxLabelClasses = (int)Math.Clamp(number, 2, int.MaxValue) },
                _ => options,
            };
            if (name is null)
            {
                problems.Add($"unknown data setting '{key}'");
            }
        }

        return options;
    }
}
