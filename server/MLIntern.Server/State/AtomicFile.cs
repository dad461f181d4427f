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

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        // Same folder: a rename within one file system is atomic; across file systems it is a copy.
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}.mlintern-tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
