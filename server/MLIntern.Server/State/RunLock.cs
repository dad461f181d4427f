using System.Diagnostics;

namespace MLIntern.Server.State;

/// <summary>
/// The lock of one run folder: <c>run.lock</c> opened with <see cref="FileShare.None"/>, which the
/// runtime turns into an exclusive advisory lock of the file (flock on Unix, a share mode on
/// Windows), so it holds between threads and between processes alike — the sidecar and the
/// <c>train --run</c> child take the same one. Held only around a read-modify-write of run.json;
/// the file itself is never deleted (a deleted lock file would let two holders lock two inodes).
/// </summary>
internal sealed class RunLock : IDisposable
{
    public const string FileName = "run.lock";

    /// <summary>Longer than any read-modify-write takes; a holder that long is stuck, and waiting on would hang the caller.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>Waits for the lock with a short, growing, jittered backoff; throws <see cref="RunFileException"/> after <paramref name="timeout"/>.</summary>
    public static RunLock Take(string runFolder, TimeSpan? timeout = null) => TakeFile(Path.Combine(runFolder, FileName), timeout);

    /// <summary>The same kind of lock on another lock file (the used-nonce record's).</summary>
    public static RunLock TakeFile(string path, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            try
            {
                return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException e) when (e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
            {
                if (waited.Elapsed >= limit)
                {
                    throw new RunFileException($"{path} has been held by another writer for more than {limit.TotalSeconds:0} s; what it guards was not changed (run.json, the used-nonce record). Is a stuck `mlintern` process still running?");
                }

                Thread.Sleep(delay + Random.Shared.Next(delay + 1));
                delay = Math.Min(delay * 2, 50);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>run.json could not be read or changed: missing lock folder, unreadable JSON, a lock held too long. Nothing was written.</summary>
internal sealed class RunFileException(string message) : IOException(message);
