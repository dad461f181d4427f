using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using MLIntern.Data.Reading;

namespace MLIntern.Data.Profiling;

/// <summary>
/// The pass over one file on two threads: the calling thread reads records and keeps the column
/// statistics; a checking thread looks each row up in the shared indexes and runs the rules' row
/// checks. Records travel in batches through a bounded queue and come back through a pool,
/// so memory stays bounded and nothing is allocated per row. Each thread sees the records in file
/// order, so the results are those of a single-threaded pass.
/// </summary>
public sealed partial class DatasetProfiler
{
    /// <summary>Records per batch; a batch is also sent once it holds <see cref="BatchBytes"/>.</summary>
    private const int BatchRecords = 256;

    private const int BatchBytes = 1 << 20;

    /// <summary>Full batches waiting for the checking thread.</summary>
    private const int QueueDepth = 4;

    /// <summary>A record whose buffer grew past this (a huge field) gives it back before reuse.</summary>
    private const int MaxPooledRecordBytes = 256 * 1024;

    /// <summary>Files of at least this many bytes are read on two threads; below it a second thread would cost more than it saves. 0: always.</summary>
    public long ParallelMinBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Optional: called on the reading thread about every 4,096 records with the records read so far in the current file.</summary>
    public Action<long>? Progress { get; init; }

    private sealed class Batch
    {
        public readonly Record[] Records = [.. Enumerable.Range(0, BatchRecords).Select(_ => new Record())];
        public int Count;
        public int Bytes;
        public FileState State = null!;
    }

    private long ReadFile(IRecordReader reader, List<Record> pending, List<ColumnProfiler> columns, FileState state, long length, CancellationToken cancellationToken)
    {
        if (length >= 0 && length < ParallelMinBytes)
        {
            return ReadSerial(reader, pending, columns, state, cancellationToken);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var full = new BlockingCollection<Batch>(QueueDepth);
        using var free = new BlockingCollection<Batch>();
        for (var i = 0; i < QueueDepth + 2; i++)
        {
            free.Add(new Batch());
        }

        var checker = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var hashes = new ulong[BatchRecords];
                    foreach (var batch in full.GetConsumingEnumerable(stop.Token))
                    {
                        // First the texts' hashes, each starting the load of its index slot; then the checks, which find the slots in the cache.
                        for (var i = 0; i < batch.Count; i++)
                        {
                            hashes[i] = TextHash(batch.Records[i], batch.State, prefetch: true);
                        }

                        for (var i = 0; i < batch.Count; i++)
                        {
                            Check(batch.Records[i], batch.State, hashes[i]);
                            batch.Records[i].Shrink(MaxPooledRecordBytes);
                        }

                        free.Add(batch);
                    }
                }
                catch
                {
                    stop.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        long rows = 0;
        try
        {
            var batch = free.Take(stop.Token);
            batch.Count = 0;
            batch.Bytes = 0;
            var pendingAt = 0;
            while (true)
            {
                if ((rows & 4095) == 0)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    Progress?.Invoke(rows);
                }

                var record = batch.Records[batch.Count];
                if (pendingAt < pending.Count)
                {
                    // The records read ahead to guess the columns join the pass first.
                    record = batch.Records[batch.Count] = pending[pendingAt++];
                }
                else if (!reader.Read(record))
                {
                    break;
                }

                if (state.Names.Length != reader.Columns.Count)
                {
                    if (batch.Count > 0)
                    {
                        // Records read under the old columns go with the old state; this one starts the next batch.
                        batch.Records[batch.Count] = new Record();
                        Send(ref batch);
                        batch.Records[0] = record;
                    }

                    state = Map(reader.Columns, columns, state);
                }

                batch.State = state;
                AddToColumns(record, columns, state.Names.Length);
                rows++;
                batch.Count++;
                batch.Bytes += record.Size;
                if (batch.Count == BatchRecords || batch.Bytes >= BatchBytes)
                {
                    Send(ref batch);
                }
            }

            if (batch.Count > 0)
            {
                full.Add(batch, stop.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && checker.IsFaulted)
        {
            // The checking thread failed: its exception is the one to report, below.
        }
        finally
        {
            full.CompleteAdding();
            try
            {
                checker.Wait(CancellationToken.None);
            }
            catch (AggregateException e) when (e.InnerException is not null)
            {
                if (!(e.InnerException is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return rows;

        // Sends the batch to the checking thread and takes an empty one from the pool.
        void Send(ref Batch batch)
        {
            full.Add(batch, stop.Token);
            batch = free.Take(stop.Token);
            batch.Count = 0;
            batch.Bytes = 0;
        }
    }

    /// <summary>The same pass on the calling thread alone, for small files.</summary>
    private long ReadSerial(IRecordReader reader, List<Record> pending, List<ColumnProfiler> columns, FileState state, CancellationToken cancellationToken)
    {
        long rows = 0;
        var current = new Record();
        var pendingAt = 0;
        while (true)
        {
            if ((rows & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Progress?.Invoke(rows);
            }

            var record = current;
            if (pendingAt < pending.Count)
            {
                record = pending[pendingAt++];
            }
            else if (!reader.Read(current))
            {
                break;
            }

            if (state.Names.Length != reader.Columns.Count)
            {
                state = Map(reader.Columns, columns, state);
            }

            AddToColumns(record, columns, state.Names.Length);
            Check(record, state, TextHash(record, state, prefetch: false));
            rows++;
        }

        return rows;
    }
}
