using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using MLIntern.Data.Checks;
using MLIntern.Data.Profiling;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Tests;

/// <summary>
/// Files that never end, damaged files whose lengths lie, readers that throw, and files with no rows:
/// the profiler stops when cancelled (skipped records included), turns any reader failure into that
/// file's MLD012 and goes on with the others, and reports empty files (MLD013).
/// </summary>
public sealed class HostileFileTests
{
    /// <summary>A header, then ragged rows forever: every record is malformed, so the reader never hands one back.</summary>
    private sealed class EndlessRaggedRows : Stream
    {
        private static readonly byte[] Header = "text,label\n"u8.ToArray();
        private static readonly byte[] Row = "one,two,three\n"u8.ToArray();
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++, _position++)
            {
                buffer[offset + i] = _position < Header.Length ? Header[_position] : Row[(_position - Header.Length) % Row.Length];
            }

            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream whose reads fail after a while, as a disk or a network share can.</summary>
    private sealed class FailingStream(byte[] start, Exception error) : MemoryStream(start)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position < Length ? base.Read(buffer, offset, count) : throw error;

        public override int Read(Span<byte> buffer) => Position < Length ? base.Read(buffer) : throw error;
    }

    private static DataFile Csv(string path, string content) => new(path, DataFormat.Csv, () => new MemoryStream(Encoding.UTF8.GetBytes(content)));

    private static readonly string TrainRows = "text,label\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"the parcel {i} never arrived,{(i % 2 == 0 ? "shipping" : "billing")}\n")) + "the parcel 0 never arrived,shipping\n";

    [Fact]
    public async Task Profiling_an_endless_file_of_skipped_records_stops_promptly_when_cancelled()
    {
        var profiler = new DatasetProfiler([new DataSplit("all", [new DataFile("endless.csv", DataFormat.Csv, () => new EndlessRaggedRows())])], new DataCheckOptions());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => profiler.Run(cancel.Token));
        var stopped = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(15))) == run;
        Assert.True(stopped, "the profiler was still reading 15 s after being cancelled at 0.3 s");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopped only after {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void A_parquet_footer_length_of_0x7FFFFFFF_is_that_files_MLD012_and_the_other_files_are_still_checked()
    {
        var parquet = ReaderTests.ParquetBytes([("a", "x"), ("b", "y")]);
        BinaryPrimitives.WriteInt32LittleEndian(parquet.AsSpan(parquet.Length - 8), 0x7FFFFFFF);
        var profile = DatasetProfiler.Profile(
            [
                new DataSplit("train", [Csv("train.csv", TrainRows)]),
                new DataSplit("test", [new DataFile("test.parquet", DataFormat.Parquet, () => new MemoryStream(parquet))]),
            ],
            new DataCheckOptions());
        var finding = Assert.Single(profile.FindingsFor("test.parquet"), f => f.Code == MalformedFile.Rule.Code);
        Assert.Contains("footer length 2,147,483,647", finding.Message, StringComparison.Ordinal);
        Assert.Contains(profile.FindingsFor("train.csv"), f => f.Code == ExactDuplicates.Rule.Code);
    }

    [Theory]
    [InlineData("io")]
    [InlineData("oom")]
    [InlineData("bug")]
    public void Any_reader_exception_is_that_files_MLD012_naming_it_and_the_other_files_are_still_checked(string kind)
    {
        Exception error = kind switch
        {
            "io" => new IOException("Input/output error"),
            "oom" => new OutOfMemoryException(),
            _ => new InvalidOperationException("something no one expected"),
        };
        var start = Encoding.UTF8.GetBytes("text,label\nfine row,billing\n");
        var profile = DatasetProfiler.Profile(
            [
                new DataSplit("train", [Csv("train.csv", TrainRows)]),
                new DataSplit("test", [new DataFile("data/test.csv", DataFormat.Csv, () => new FailingStream(start, error))]),
                new DataSplit("validation", [new DataFile("data/validation.csv", DataFormat.Csv, () => throw new IOException("it is a FIFO (named pipe), not a regular file, and was not opened"))]),
            ],
            new DataCheckOptions());
        var failed = Assert.Single(profile.FindingsFor("data/test.csv"), f => f.Code == MalformedFile.Rule.Code);
        Assert.StartsWith("test.csv could not be read: ", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", failed.Message, StringComparison.Ordinal);
        var refused = Assert.Single(profile.FindingsFor("data/validation.csv"), f => f.Code == MalformedFile.Rule.Code);
        Assert.Contains("FIFO (named pipe)", refused.Message, StringComparison.Ordinal);
        Assert.Contains(profile.FindingsFor("train.csv"), f => f.Code == ExactDuplicates.Rule.Code);
        Assert.Equal(41, profile.Splits[0].Rows);
    }

    [Fact]
    public void Empty_and_header_only_files_are_MLD013_and_a_file_with_rows_is_not()
    {
        var profile = DatasetProfiler.Profile(
            [
                new DataSplit("train", [Csv("train.csv", TrainRows)]),
                new DataSplit("validation", [Csv("validation.csv", "text,label\n")]),
                new DataSplit("test", [Csv("test.csv", "")]),
                new DataSplit("extra", [new DataFile("extra.jsonl", DataFormat.JsonLines, () => new MemoryStream("\n\n"u8.ToArray()))]),
            ],
            new DataCheckOptions());
        Assert.Equal("validation.csv has a header (2 column(s)) and no rows", Assert.Single(profile.FindingsFor("validation.csv"), f => f.Code == EmptyDataFile.Rule.Code).Message);
        Assert.Equal("test.csv is empty: no header and no rows", Assert.Single(profile.FindingsFor("test.csv"), f => f.Code == EmptyDataFile.Rule.Code).Message);
        Assert.Single(profile.FindingsFor("extra.jsonl"), f => f.Code == EmptyDataFile.Rule.Code);
        Assert.DoesNotContain(profile.FindingsFor("train.csv"), f => f.Code == EmptyDataFile.Rule.Code);
        Assert.Equal(3, profile.Checks.Single(c => c.Code == EmptyDataFile.Rule.Code).Count);
    }
}
