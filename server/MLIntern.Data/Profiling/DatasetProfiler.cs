using System.Diagnostics;
using MLIntern.Findings;
using MLIntern.Data.Checks;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>
/// Profiles a data set and runs the MLD checks in one streaming pass over its files, train split
/// first (so overlap with it can be found in the others). Memory is bounded: per column a few
/// fixed-size sketches; the exact-text and near-duplicate indexes have fixed capacities.
/// </summary>
public sealed partial class DatasetProfiler
{
    /// <summary>Records read ahead to choose the text and label columns before the pass.</summary>
    public const int PeekRecords = 1000;

    private const int PeekBytes = 4 * 1024 * 1024;

    private readonly DataCheckOptions _options;
    private readonly IReadOnlyList<DataSplit> _splits;
    private readonly List<string> _problems = [];
    private readonly ExactTextIndex _exact = new();
    private readonly NearDuplicateIndex? _near;
    private readonly uint[] _signature = new uint[NearDuplicateIndex.K];
    private readonly LabelTable _labels;

    private readonly Tally _missing;
    private readonly Tally _duplicates;
    private readonly Tally _conflicts;
    private readonly Tally _nearDuplicates;
    private readonly Tally _overlapExact;
    private readonly Tally _overlapNear;
    private readonly Tally _personal;
    private readonly Tally _placeholders;
    private readonly Tally _length;
    private readonly List<(string Path, Finding Finding)> _malformed = [];

    private ColumnGuess.Result? _roles;
    private ColumnProfiler? _labelColumn;

    public DatasetProfiler(IReadOnlyList<DataSplit> splits, DataCheckOptions options)
    {
        _options = options;
        _splits = [.. splits.OrderBy(s => SplitOrder(s.Name))];
        _labels = new LabelTable(_splits.Count);
        _near = options.NearDuplicates ? new NearDuplicateIndex() : null;
        var n = options.MaxExamples;
        _missing = new(n);
        _duplicates = new(n);
        _conflicts = new(n);
        _nearDuplicates = new(n);
        _overlapExact = new(n);
        _overlapNear = new(n);
        _personal = new(n);
        _placeholders = new(n);
        _length = new(n);
    }

    /// <summary>Settings that named a missing column and the like: shown to the user, never thrown.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The conventional order: train, then validation, then test, then anything else.</summary>
    public static int SplitOrder(string name) => name.ToLowerInvariant() switch
    {
        "train" or "all" => 0,
        "validation" or "valid" or "dev" or "val" => 1,
        "test" => 2,
        _ => 3,
    };

    public static bool IsEvaluationSplit(string name) => SplitOrder(name) is 1 or 2;

    public static DatasetProfile Profile(IReadOnlyList<DataSplit> splits, DataCheckOptions options, CancellationToken cancellationToken = default) =>
        new DatasetProfiler(splits, options).Run(cancellationToken);

    public DatasetProfile Run(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var splitProfiles = new List<SplitProfile>();
        for (var s = 0; s < _splits.Count; s++)
        {
            splitProfiles.Add(ProfileSplit(s, cancellationToken));
        }

        var checks = BuildChecks(splitProfiles);
        return new DatasetProfile(
            splitProfiles,
            _roles?.Text ?? new ColumnRole(null, "none"),
            _roles?.Label ?? new ColumnRole(null, "none"),
            LabelSummary(),
            checks,
            Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3));
    }

    private SplitProfile ProfileSplit(int split, CancellationToken cancellationToken)
    {
        var definition = _splits[split];
        var columns = new List<ColumnProfiler>();
        var files = new List<FileProfile>();
        long rows = 0;
        foreach (var file in definition.Files)
        {
            var sink = new MalformedSink();
            long fileRows = 0;
            IRecordReader? reader = null;
            try
            {
                using var stream = file.Open();
                reader = RecordReaders.Open(file.Format, stream, sink);
                var pending = Peek(reader);
                fileRows = ReadFile(reader, pending, columns, new FileState(file.Path, split, definition.Name), stream.CanSeek ? stream.Length : -1, cancellationToken);
            }
            finally
            {
                reader?.Dispose();
            }

            _malformed.AddRange(sink.Finish().Select(f => (file.Path, f)));
            files.Add(new FileProfile(file.Path, file.Format.ToString().ToLowerInvariant(), fileRows, reader?.Skipped ?? 0, file.Format != DataFormat.Parquet));
            rows += fileRows;
        }

        var classes = _labels.Names.Select((name, id) => new ClassCount(name, _labels.Counts[id][split])).Where(c => c.Count > 0).OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();
        return new SplitProfile(definition.Name, files, rows, [.. columns.Select(c => c.ToProfile())], classes);
    }

    /// <summary>Reads the first records and, the first time, chooses the columns' roles from them.</summary>
    private List<Record> Peek(IRecordReader reader)
    {
        var pending = new List<Record>();
        if (_roles is not null)
        {
            return pending;
        }

        var bytes = 0;
        var record = new Record();
        while (pending.Count < PeekRecords && bytes < PeekBytes && reader.Read(record))
        {
            pending.Add(record.Clone());
            bytes += record.Size;
        }

        _roles = ColumnGuess.Guess(reader.Columns, pending, _options, _problems);
        return pending;
    }

    /// <summary>
    /// Where the roles sit in one file's columns (JSON files may add columns as they go). Never changed
    /// once made: the reading thread makes a new one when the columns change, while the checking
    /// thread may still hold the old one for earlier records.
    /// </summary>
    private sealed class FileState(string path, int split, string splitName)
    {
        public readonly string Path = path;
        public readonly int Split = split;
        public readonly string SplitName = splitName;
        public string[] Names = [];
        public int Text = -1;
        public int Label = -1;
        public bool[] TextLike = [];
        public int FirstTextLike = -1;
    }

    /// <summary>The reading thread's share of a row: the column statistics.</summary>
    private static void AddToColumns(Record record, List<ColumnProfiler> columns, int names)
    {
        var count = Math.Min(names, columns.Count);
        for (var c = 0; c < count; c++)
        {
            columns[c].Add(record[c], record.Kind(c));
        }
    }

    /// <summary>The hash of a row's trimmed text (0 when it has none), the key of the exact-text index.</summary>
    private ulong TextHash(Record record, FileState state, bool prefetch)
    {
        if (state.Text < 0)
        {
            return 0;
        }

        var trimmed = record[state.Text].Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return 0;
        }

        var hash = Hash64.Of(trimmed);
        if (prefetch)
        {
            _exact.Prefetch(hash);
        }

        return hash;
    }

    /// <summary>The checking thread's share of a row: labels, missing values, and the text checks (<paramref name="textHash"/> from <see cref="TextHash"/>).</summary>
    private void Check(Record record, FileState state, ulong textHash)
    {
        var line = record.Line;
        var text = state.Text >= 0 ? record[state.Text] : default;
        var textMissing = state.Text >= 0 && (record.Kind(state.Text) == ValueKind.Missing || text.IsEmpty || ColumnProfiler.IsNaToken(text));
        var label = -1;
        var labelMissing = false;
        if (state.Label >= 0)
        {
            var value = record[state.Label];
            labelMissing = record.Kind(state.Label) == ValueKind.Missing || value.IsEmpty || ColumnProfiler.IsNaToken(value);
            if (!labelMissing)
            {
                label = _labels.Id(value, state.Split, state.Path, line);
            }
        }

        if (textMissing || labelMissing)
        {
            _missing.Add();
            if (_missing.WantsExample)
            {
                var what = textMissing && labelMissing ? "no text and no label" : textMissing ? "no text" : "no label";
                _missing.Example(Make(state, line, record, $"this row has {what}"));
            }
        }

        for (var c = 0; c < state.TextLike.Length && c < record.Count; c++)
        {
            if (state.TextLike[c])
            {
                ScanText(record, c, state, line, state.Names[c]);
            }
        }

        if (state.Text >= 0 && !textMissing)
        {
            TextChecks(record, text, textHash, label, state, line);
        }
    }

    private bool _personalCounted;
    private bool _placeholderCounted;

    private void ScanText(Record record, int column, FileState state, int line, string name)
    {
        var value = record[column];
        if (value.IsEmpty)
        {
            return;
        }

        // One count per row per check, whatever the number of columns it is found in.
        if (column == state.FirstTextLike)
        {
            _personalCounted = false;
            _placeholderCounted = false;
        }

        if (!_personalCounted && PersonalData.Find(value) is var kinds and not PersonalData.Kinds.None)
        {
            _personalCounted = true;
            _personal.Add();
            if (_personal.WantsExample)
            {
                _personal.Example(new Example(state.SplitName, state.Path, line, Preview(value), $"'{name}' holds {PersonalData.Describe(kinds)}: {Preview(value)}"));
            }
        }

        if (!_placeholderCounted && PlaceholderScanner.TryFind(value, out var slotStart, out var slotLength))
        {
            _placeholderCounted = true;
            _placeholders.Add();
            if (_placeholders.WantsExample)
            {
                var slot = System.Text.Encoding.UTF8.GetString(value.Slice(slotStart, slotLength)).Trim();
                _placeholders.Example(new Example(state.SplitName, state.Path, line, Preview(value), $"unfilled placeholder {{{{{slot}}}}} in '{name}'"));
            }
        }
    }

    private void TextChecks(Record record, ReadOnlySpan<byte> text, ulong textHash, int label, FileState state, int line)
    {
        var trimmed = text.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            _length.Add();
            if (_length.WantsExample)
            {
                _length.Example(Make(state, line, record, "the text is only whitespace"));
            }

            return;
        }

        var chars = trimmed.Length > _options.MaxTextChars ? Utf8Text.Utf16Length(trimmed) : trimmed.Length;
        if (chars > _options.MaxTextChars)
        {
            _length.Add();
            if (_length.WantsExample)
            {
                _length.Example(Make(state, line, record, $"the text is {chars:N0} characters long (more than {_options.MaxTextChars:N0}); tokenizers cut it"));
            }
        }

        var hash = textHash != 0 ? textHash : Hash64.Of(trimmed);
        var outcome = _exact.Add(hash, state.Split, line, label, out var seen);
        var weight = _exact.Weight;
        if (outcome == ExactTextIndex.Outcome.Repeat)
        {
            var inThisSplit = (seen.Splits & (1 << Math.Min(state.Split, 7))) != 0;
            if (inThisSplit)
            {
                _duplicates.Add(weight);
                if (_duplicates.WantsExample && seen.FirstSplit == state.Split)
                {
                    _duplicates.Example(Make(state, line, record, $"same text as line {seen.Line}", seen.Line));
                }
            }
            else if (IsEvaluationSplit(state.SplitName) && seen.FirstSplit == 0 && SplitOrder(_splits[0].Name) == 0)
            {
                _overlapExact.Add(weight);
                if (_overlapExact.WantsExample)
                {
                    _overlapExact.Example(Make(state, line, record, $"this {state.SplitName} text is also in {_splits[0].Name} ({FirstPathOf(0)} line {seen.Line})", seen.Line, FirstPathOf(0)));
                }
            }

            if (label >= 0 && seen.Label >= 0 && label != seen.Label && !seen.ConflictReported)
            {
                _exact.MarkConflict(hash);
                _conflicts.Add(weight);
                if (_conflicts.WantsExample)
                {
                    var where = seen.FirstSplit == state.Split ? $"line {seen.Line}" : $"{_splits[seen.FirstSplit].Name} line {seen.Line}";
                    _conflicts.Example(Make(state, line, record, $"labelled '{_labels.Name(label)}' here and '{_labels.Name(seen.Label)}' on {where}", seen.Line, seen.FirstSplit == state.Split ? null : FirstPathOf(seen.FirstSplit)));
                }
            }

            return;
        }

        if (_near is null || !_near.Sign(trimmed, _signature))
        {
            return;
        }

        // A text seen for the first time: near-duplicate of an earlier one in its split, or of a train text.
        _near.Find(_signature, _options.NearDuplicateThreshold, state.Split, out var match, out var train);
        if (match is { } m)
        {
            _nearDuplicates.Add(weight);
            if (_nearDuplicates.WantsExample)
            {
                _nearDuplicates.Example(Make(state, line, record, $"near-duplicate of line {m.Line} (estimated similarity {m.Similarity:0.00})", m.Line));
            }
        }
        else if (state.Split > 0 && IsEvaluationSplit(state.SplitName) && SplitOrder(_splits[0].Name) == 0 && train is { } t)
        {
            _overlapNear.Add(weight);
            if (_overlapNear.WantsExample)
            {
                _overlapNear.Example(Make(state, line, record, $"this {state.SplitName} text is a near-duplicate of {_splits[0].Name} ({FirstPathOf(0)} line {t.Line}, estimated similarity {t.Similarity:0.00})", t.Line, FirstPathOf(0)));
            }
        }

        if (outcome != ExactTextIndex.Outcome.Unsampled || _exact.SampleLevel > 0)
        {
            _near.Add(_signature, line, state.Split);
        }
    }

    private string FirstPathOf(int split) => _splits[split].Files.Count > 0 ? _splits[split].Files[0].Path : _splits[split].Name;

    private Example Make(FileState state, int line, Record record, string detail, int? otherLine = null, string? otherPath = null) =>
        new(state.SplitName, state.Path, line, state.Text >= 0 ? Preview(record[state.Text]) : "", detail, otherPath ?? (otherLine is null ? null : state.Path), otherLine);

    /// <summary>A short preview of a value, with personal data masked: nothing in full reaches a message or a log.</summary>
    private static string Preview(ReadOnlySpan<byte> value) => PersonalData.Mask(Utf8Text.Preview(value, 100));

    /// <summary>The roles in a file's current columns, as a new state; adds profilers for new columns.</summary>
    private FileState Map(IReadOnlyList<string> names, List<ColumnProfiler> columns, FileState previous)
    {
        for (var c = columns.Count; c < names.Count; c++)
        {
            columns.Add(new ColumnProfiler(names[c]));
        }

        var state = new FileState(previous.Path, previous.Split, previous.SplitName)
        {
            Names = [.. names],
            Text = _roles?.Text.Column is { } t ? IndexOf(names, t) : -1,
            Label = _roles?.Label.Column is { } l ? IndexOf(names, l) : -1,
            TextLike = [.. names.Select(n => _roles?.TextLike.Contains(n) == true)],
        };
        state.FirstTextLike = Array.IndexOf(state.TextLike, true);
        if (state.Label >= 0 && state.Split == 0)
        {
            _labelColumn = columns[state.Label];
        }

        return state;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private LabelSummary? LabelSummary()
    {
        if (_roles?.Label.Column is not { } column)
        {
            return null;
        }

        var type = _labelColumn is null ? "string" : _labelColumn.IsBoolean ? "bool" : _labelColumn.IsInteger ? "int" : _labelColumn.IsNumeric ? "float" : "string";
        var counts = _labels.Names.Select((name, id) => new ClassCount(name, _labels.Total(id))).OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();
        return new LabelSummary(column, type, _labels.Names.Count, _labels.Complete, counts);
    }

    private List<CheckResult> BuildChecks(List<SplitProfile> splits)
    {
        var results = new List<CheckResult>();
        var home = _splits.Count > 0 && _splits[0].Files.Count > 0 ? _splits[0].Files[0].Path : null;
        var textName = _roles?.Text.Column ?? "text";
        var labelName = _roles?.Label.Column ?? "label";
        string Est(Tally t) => t.Estimated ? "about " : "";

        results.Add(From(MissingValues.Rule, _missing, $"{Est(_missing)}{_missing.Count:N0} row(s) have no '{textName}' or no '{labelName}'"));
        results.Add(From(ExactDuplicates.Rule, _duplicates, $"{Est(_duplicates)}{_duplicates.Count:N0} row(s) repeat the '{textName}' of an earlier row"));
        results.Add(From(ConflictingLabels.Rule, _conflicts, $"{Est(_conflicts)}{_conflicts.Count:N0} text(s) appear with different '{labelName}' values"));
        results.Add(From(NearDuplicates.Rule, _nearDuplicates, $"{Est(_nearDuplicates)}{_nearDuplicates.Count:N0} row(s) are near-duplicates of an earlier row (estimated similarity ≥ {_options.NearDuplicateThreshold:0.##})"));

        var imbalance = ClassImbalanceResult(home);
        results.Add(imbalance);
        results.Add(RareClassesResult(home));

        var overlap = new Tally(_options.MaxExamples) { Count = _overlapExact.Count + _overlapNear.Count, Estimated = _overlapExact.Estimated || _overlapNear.Estimated };
        foreach (var e in _overlapExact.Examples.Concat(_overlapNear.Examples).Take(_options.MaxExamples))
        {
            overlap.Example(e);
        }

        results.Add(From(TrainTestOverlap.Rule, overlap, $"{Est(overlap)}{overlap.Count:N0} evaluation row(s) overlap the train split: {_overlapExact.Count:N0} exact, {_overlapNear.Count:N0} near-duplicate") with
        {
            Path = overlap.FirstPath,
            Parts = new Dictionary<string, long> { ["exact"] = _overlapExact.Count, ["near"] = _overlapNear.Count },
        });
        results.Add(From(PersonalData.Rule, _personal, $"{_personal.Count:N0} row(s) hold personal data (e-mail addresses, phone or card numbers)"));
        results.Add(From(Placeholders.Rule, _placeholders, $"{_placeholders.Count:N0} row(s) hold unfilled template placeholders such as {{{{Order Number}}}}"));
        results.Add(From(TextLength.Rule, _length, $"{_length.Count:N0} text(s) are empty or longer than {_options.MaxTextChars:N0} characters"));
        results.Add(LabelLooksLikeTextResult(home, splits));
        results.Add(new CheckResult(MalformedFile.Rule.Code, MalformedFile.Rule.Name, MalformedFile.Rule.DefaultSeverity, _malformed.Count, false,
            $"{_malformed.Count:N0} malformed record(s) were left out", _malformed.Count > 0 ? _malformed[0].Path : null, [])
        { FileFindings = _malformed });
        return results;
    }

    private static CheckResult From(MLIntern.Findings.RuleInfo rule, Tally tally, string message) =>
        new(rule.Code, rule.Name, rule.DefaultSeverity, tally.Count, tally.Estimated, message, tally.FirstPath, tally.Examples);

    private CheckResult ClassImbalanceResult(string? home)
    {
        var rule = ClassImbalance.Rule;
        var totals = _labels.Names.Select((name, id) => (Name: name, Id: id, Count: _labels.Total(id))).Where(c => c.Count > 0).OrderByDescending(c => c.Count).ToList();
        if (totals.Count < 2)
        {
            return new CheckResult(rule.Code, rule.Name, rule.DefaultSeverity, 0, false, "fewer than two classes", home, []);
        }

        var largest = totals[0];
        var smallest = totals[^1];
        var ratio = (double)largest.Count / smallest.Count;
        var found = ratio >= _options.ImbalanceRatio;
        return new CheckResult(rule.Code, rule.Name, rule.DefaultSeverity, found ? 1 : 0, false,
            $"the largest class '{largest.Name}' has {largest.Count:N0} rows and the smallest '{smallest.Name}' {smallest.Count:N0}: ratio {ratio:0.#}{(found ? $" (≥ {_options.ImbalanceRatio:0.#})" : "")}",
            home, []);
    }

    private CheckResult RareClassesResult(string? home)
    {
        var rule = RareClasses.Rule;
        var rare = _labels.Names.Select((name, id) => (Name: name, Id: id, Count: _labels.Total(id))).Where(c => c.Count < _options.MinClassExamples).OrderBy(c => c.Count).ToList();
        var examples = rare.Take(_options.MaxExamples).Select(c => new Example("", _labels.First[c.Id].Path, _labels.First[c.Id].Line, "", $"class '{c.Name}' has only {c.Count} example(s) (fewer than {_options.MinClassExamples})")).ToList();
        var message = rare.Count == 0 ? $"every class has at least {_options.MinClassExamples} examples"
            : $"{rare.Count} class(es) have fewer than {_options.MinClassExamples} examples: {string.Join(", ", rare.Take(5).Select(c => $"'{c.Name}' ({c.Count})"))}";
        return new CheckResult(rule.Code, rule.Name, rule.DefaultSeverity, _labels.Complete && _labels.Names.Count <= _options.MaxLabelClasses ? rare.Count : 0, false, message, home, examples);
    }

    private CheckResult LabelLooksLikeTextResult(string? home, List<SplitProfile> splits)
    {
        var rule = LabelLooksLikeText.Rule;
        if (_roles?.Label.Column is not { } column || _labelColumn is null)
        {
            return new CheckResult(rule.Code, rule.Name, rule.DefaultSeverity, 0, false, "no label column", home, []);
        }

        var present = _labelColumn.Present;
        var classes = _labelColumn.DistinctCount;
        var type = _labelColumn.Type;
        string? reason = null;
        if (classes > _options.MaxLabelClasses)
        {
            reason = $"{classes:N0} distinct values (more than {_options.MaxLabelClasses:N0})";
        }
        else if (present >= 50 && classes > present / 2)
        {
            reason = $"{classes:N0} distinct values in {present:N0} rows";
        }
        else if (type is "text" or "id" && present >= 20)
        {
            reason = $"its values read as {(type == "id" ? "IDs" : "free text")}";
        }

        return new CheckResult(rule.Code, rule.Name, rule.DefaultSeverity, reason is null ? 0 : 1, false,
            reason is null ? $"'{column}' has {classes:N0} classes" : $"the label column '{column}' ({_roles.Label.Source switch { "setting" => "set in settings", "name" => "chosen by its name", _ => "guessed from its values" }}) does not look like classes: {reason}",
            home, []);
    }
}
