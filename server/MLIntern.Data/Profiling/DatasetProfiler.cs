using System.Diagnostics;
using MLIntern.Data.Checks;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>
/// Profiles a data set and runs the data rules in one streaming pass over its files, train split
/// first (so overlap with it can be found in the others). Each row is looked up once in the shared
/// indexes (<see cref="DataPass"/>) and then shown to every rule's check (<see cref="DataRules"/>).
/// Memory is bounded: per column a few fixed-size sketches; the exact-text and near-duplicate
/// indexes have fixed capacities.
/// </summary>
public sealed partial class DatasetProfiler
{
    /// <summary>Records read ahead to choose the text and label columns before the pass.</summary>
    public const int PeekRecords = 1000;

    private const int PeekBytes = 4 * 1024 * 1024;

    private readonly DataCheckOptions _options;
    private readonly IReadOnlyList<DataSplit> _splits;
    private readonly List<string> _problems = [];
    private readonly DataPass _pass;
    private readonly uint[] _signature = new uint[NearDuplicateIndex.K];
    private readonly IDataCheck[] _checks;
    private readonly IRowCheck[] _rowChecks;

    public DatasetProfiler(IReadOnlyList<DataSplit> splits, DataCheckOptions options)
    {
        _options = options;
        _splits = [.. splits.OrderBy(s => SplitOrder(s.Name))];
        _pass = new DataPass(_splits, options);
        _checks = DataRules.CreateChecks(_pass);
        _rowChecks = [.. _checks.OfType<IRowCheck>()];
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

        _pass.Cancellation = cancellationToken;
        var checks = _checks.Select(c => c.Finish()).ToList();
        return new DatasetProfile(
            splitProfiles,
            _pass.Roles?.Text ?? new ColumnRole(null, "none"),
            _pass.Roles?.Label ?? new ColumnRole(null, "none"),
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
            var failed = false;
            var named = 0;
            try
            {
                // Every read checks the token, so a loop that skips malformed records (which returns no
                // record to the loops here) still stops when the caller cancels.
                using var stream = new CancellableStream(file.Open(), cancellationToken);
                reader = RecordReaders.Open(file.Format, stream, sink);
                var pending = Peek(reader);
                fileRows = ReadFile(reader, pending, columns, new FileState(file.Path, split, definition.Name), stream.CanSeek ? stream.Length : -1, cancellationToken);
                named = reader.Columns.Count;
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // Whatever a reader throws (a device refused by the host, a damaged file's allocation that
                // cannot be made, a bug) is this file's MLD012; the other files are still read.
                failed = true;
                sink.Report(ReadFailure(file.Path, e), 1);
            }
            finally
            {
                reader?.Dispose();
            }

            _pass.Malformed.AddRange(sink.Finish().Select(f => (file.Path, f)));
            if (!failed && fileRows == 0 && sink.Total == 0)
            {
                _pass.Empty.Add((file.Path, file.Format, named));
            }
            files.Add(new FileProfile(file.Path, file.Format.ToString().ToLowerInvariant(), fileRows, reader?.Skipped ?? 0, file.Format != DataFormat.Parquet));
            rows += fileRows;
        }

        var labels = _pass.Labels;
        var classes = labels.Names.Select((name, id) => new ClassCount(name, labels.Counts[id][split])).Where(c => c.Count > 0).OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();
        return new SplitProfile(definition.Name, files, rows, [.. columns.Select(c => c.ToProfile())], classes);
    }

    /// <summary>The MLD012 message for a file no reader could finish: the file and the reason, never a stack trace.</summary>
    private static string ReadFailure(string path, Exception e)
    {
        var reason = e switch
        {
            IOException or UnauthorizedAccessException => e.Message,
            OutOfMemoryException => "it asks for more memory than can be given (a damaged length in the file?)",
            _ => $"{e.GetType().Name}: {e.Message.Split('\n')[0]}",
        };
        return $"{System.IO.Path.GetFileName(path)} could not be read: {reason}";
    }

    /// <summary>Reads the first records and, the first time, chooses the columns' roles from them.</summary>
    private List<Record> Peek(IRecordReader reader)
    {
        var pending = new List<Record>();
        if (_pass.Roles is not null)
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

        _pass.Roles = ColumnGuess.Guess(reader.Columns, pending, _options, _problems);
        return pending;
    }

    /// <summary>
    /// Where the roles sit in one file's columns (JSON files may add columns as they go). Never changed
    /// once made: the reading thread makes a new one when the columns change, while the checking
    /// thread may still hold the old one for earlier records.
    /// </summary>
    internal sealed class FileState(string path, int split, string splitName)
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
            _pass.Exact.Prefetch(hash);
        }

        return hash;
    }

    /// <summary>
    /// The checking thread's share of a row: its label and text looked up once in the shared indexes
    /// (<paramref name="textHash"/> from <see cref="TextHash"/>), then every row check in code order.
    /// </summary>
    private void Check(Record record, FileState state, ulong textHash)
    {
        var row = new RowFacts { File = state, Record = record, Line = record.Line, Label = -1 };
        if (state.Text >= 0)
        {
            row.Text = record[state.Text];
            row.TextMissing = record.Kind(state.Text) == ValueKind.Missing || row.Text.IsEmpty || ColumnProfiler.IsNaToken(row.Text);
        }

        if (state.Label >= 0)
        {
            var value = record[state.Label];
            row.LabelMissing = record.Kind(state.Label) == ValueKind.Missing || value.IsEmpty || ColumnProfiler.IsNaToken(value);
            if (!row.LabelMissing)
            {
                row.Label = _pass.Labels.Id(value, state.Split, state.Path, row.Line);
            }
        }

        if (row.HasText)
        {
            row.Trimmed = row.Text.Trim(" \t\r\n"u8);
            if (!row.Trimmed.IsEmpty)
            {
                LookUp(ref row, textHash);
            }
        }

        foreach (var check in _rowChecks)
        {
            check.Row(in row);
        }
    }

    /// <summary>
    /// Looks a text up in the exact-text index and, when it is new there, in the near-duplicate
    /// index (which then remembers it, if the exact index sampled it or is sampling at all).
    /// </summary>
    private void LookUp(ref RowFacts row, ulong textHash)
    {
        var exact = _pass.Exact;
        var split = row.File.Split;
        row.Hash = textHash != 0 ? textHash : Hash64.Of(row.Trimmed);
        var outcome = exact.Add(row.Hash, split, row.Line, row.Label, out row.Seen);
        row.Exact = outcome;
        row.Weight = exact.Weight;
        var near = _pass.Near;
        if (outcome == ExactTextIndex.Outcome.Repeat || near is null || !near.Sign(row.Trimmed, _signature))
        {
            return;
        }

        near.Find(_signature, _options.NearDuplicateThreshold, split, out row.NearInSplit, out row.NearInTrain);
        if (outcome != ExactTextIndex.Outcome.Unsampled || exact.SampleLevel > 0)
        {
            near.Add(_signature, row.Line, split);
        }
    }

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
            Text = _pass.Roles?.Text.Column is { } t ? IndexOf(names, t) : -1,
            Label = _pass.Roles?.Label.Column is { } l ? IndexOf(names, l) : -1,
            TextLike = [.. names.Select(n => _pass.Roles?.TextLike.Contains(n) == true)],
        };
        state.FirstTextLike = Array.IndexOf(state.TextLike, true);
        if (state.Label >= 0 && state.Split == 0)
        {
            _pass.LabelColumn = columns[state.Label];
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
        if (_pass.Roles?.Label.Column is not { } column)
        {
            return null;
        }

        var labelColumn = _pass.LabelColumn;
        var labels = _pass.Labels;
        var type = labelColumn is null ? "string" : labelColumn.IsBoolean ? "bool" : labelColumn.IsInteger ? "int" : labelColumn.IsNumeric ? "float" : "string";
        var counts = labels.Names.Select((name, id) => new ClassCount(name, labels.Total(id))).OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();
        return new LabelSummary(column, type, labels.Names.Count, labels.Complete, counts);
    }
}
