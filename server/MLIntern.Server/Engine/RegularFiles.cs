using System.Runtime.InteropServices;

namespace MLIntern.Server.Engine;

/// <summary>
/// Only regular files are opened. A FIFO blocks the open until a writer comes (forever, in CI); a link
/// to `/dev/zero` or `/dev/urandom` never ends; a socket or a device is not a data set. Each is refused
/// before it is opened, with what it is, so the caller can report it as a finding naming the file.
/// </summary>
internal static class RegularFiles
{
    /// <summary>Why <paramref name="path"/> (after following links) is not a regular file — "a FIFO (named pipe)" —, or null when it is one or does not exist.</summary>
    public static string? WhyNot(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // .NET has no public API for a file's type on Unix; the runtime's own native shim answers stat
        // with the type bits normalised across Unixes (its FileStatus: Flags, then Mode).
        var status = new byte[512];
        int result;
        try
        {
            result = Stat(path, status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (result != 0)
        {
            return null;
        }

        var mode = BitConverter.ToInt32(status, 4);
        return (mode & 0xF000) switch
        {
            0x8000 or 0x4000 => null,
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    /// <summary>The reason a file is refused; whoever reports it names the file (the CLI's "error: PATH: …", MLD012's "NAME could not be read: …").</summary>
    public static string Refusal(string what) => $"it is {what}, not a regular file, and was not opened";

    /// <summary>Throws an <see cref="IOException"/> naming the file when it is not a regular file: for the places that open files.</summary>
    public static void Ensure(string path)
    {
        if (WhyNot(path) is { } what)
        {
            throw new NotRegularFileException(Refusal(what));
        }
    }

    /// <summary><see cref="File.ReadAllBytes"/> of a regular file; anything else is refused with an <see cref="IOException"/> naming it.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        Ensure(path);
        return File.ReadAllBytes(path);
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}

/// <summary>A path that names a FIFO, a device or a socket: refused before it is opened.</summary>
internal sealed class NotRegularFileException(string message) : IOException(message);
