using System.Text;

namespace MLIntern.Server.State;

/// <summary>
/// Replacing a file whole: the bytes go to a temporary file of their own beside the target (a unique
/// name, so two writers never share one), which then replaces the target in one rename. A reader
/// sees the old file or the new one, never half of either; a failed write leaves the old file.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>
    /// Writes the file through <paramref name="write"/>, which gets the temporary file's stream. If it
    /// throws, the target is as it was and the temporary file is gone; the exception goes on.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        // Same folder: a rename within one file system is atomic; across file systems it is a copy.
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}.mlintern-tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                // No fsync: the rename over an existing file is what readers depend on, and the file
                // systems we run on (ext4's auto_da_alloc, APFS, NTFS) order the data before it.
                write(stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Appends whole lines (text ending in a newline) in one write, flushed to disk: the one append the
    /// server makes besides the two tailed run logs — an intern session file, which grows by an event at a
    /// time. The caller holds the file's lock; a reader takes only lines that end, so a write cut short
    /// leaves at most an unterminated last line that readers skip.
    /// </summary>
    public static void AppendLines(string path, string lines)
    {
        if (!lines.EndsWith('\n'))
        {
            throw new ArgumentException("appended text must end with a newline", nameof(lines));
        }

        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        stream.Write(new UTF8Encoding(false).GetBytes(lines));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes text line by line through a writer on the temporary file (UTF-8, no BOM).</summary>
    public static void WriteText(string path, Action<TextWriter> write) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        write(writer);
    });
}
