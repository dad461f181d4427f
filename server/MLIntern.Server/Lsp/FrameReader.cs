using System.Text;

namespace MLIntern.Server.Lsp;

/// <summary>
/// Reads Content-Length frames from a byte stream and never gives up on it. A header that cannot be
/// read (no or a non-numeric Content-Length, a line without ':', a length over <see cref="MaxFrameBytes"/>,
/// a header block over <see cref="MaxHeaderBytes"/>) is reported once, and reading resumes at the next
/// "Content-Length:" after the start of the bad frame. A frame whose body the caller rejects
/// (<see cref="Reject"/>, for a body that is not JSON) resumes the same way, so a frame that declared
/// more bytes than it sent gives back the frames it swallowed. Lines may end in CRLF or LF alone.
/// </summary>
internal sealed class FrameReader(Stream input)
{
    public const int MaxFrameBytes = 64 * 1024 * 1024;
    public const int MaxHeaderBytes = 8 * 1024;
    private const int InitialBuffer = 64 * 1024;
    private static readonly byte[] LengthName = "content-length:"u8.ToArray();

    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private bool _resync;
    private int _frameEnd = -1;

    /// <summary>One read: a frame, a problem with the bytes at the current position, or the end of the stream.</summary>
    public readonly record struct Result(bool End, string? Problem, ReadOnlyMemory<byte> Body, string? Charset);

    /// <summary>
    /// The next frame. Its body stays valid until the next call; the frame is consumed unless
    /// <see cref="Reject"/> is called before then.
    /// </summary>
    public async ValueTask<Result> ReadAsync(CancellationToken cancellationToken)
    {
        Accept();
        while (true)
        {
            if (_resync)
            {
                var found = IndexOfLengthName(_start, _end);
                if (found < 0)
                {
                    _start = Math.Max(_start, _end - (LengthName.Length - 1));
                    if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return new Result(true, null, default, null);
                    }

                    continue;
                }

                _start = found;
                _resync = false;
            }

            var header = ParseHeader();
            if (header.NeedMore)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new Result(true, null, default, null);
                }

                continue;
            }

            if (header.Problem is { } problem)
            {
                Skip();
                return new Result(false, problem, default, null);
            }

            var bodyOffset = header.BodyOffset;
            while (_end - _start - bodyOffset < header.Length)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new Result(true, null, default, null);
                }
            }

            _frameEnd = _start + bodyOffset + header.Length;
            return new Result(false, null, _buffer.AsMemory(_start + bodyOffset, header.Length), header.Charset);
        }
    }

    /// <summary>The last frame was not a message: read on from the next "Content-Length:" after its start.</summary>
    public void Reject()
    {
        if (_frameEnd >= 0)
        {
            _frameEnd = -1;
            Skip();
        }
    }

    private void Accept()
    {
        if (_frameEnd < 0)
        {
            return;
        }

        _start = _frameEnd;
        _frameEnd = -1;
        if (_start == _end && _buffer.Length > 16 * InitialBuffer)
        {
            // A large frame is gone: give its memory back.
            _buffer = new byte[InitialBuffer];
            _start = _end = 0;
        }
    }

    private void Skip()
    {
        _start++;
        _resync = true;
    }

    private readonly record struct Header(bool NeedMore, string? Problem, int BodyOffset, int Length, string? Charset);

    /// <summary>Reads the header block at <see cref="_start"/> from the bytes in the buffer.</summary>
    private Header ParseHeader()
    {
        long length = -1;
        string? charset = null;
        string? problem;
        var position = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', position, _end - position);
            if (newline < 0)
            {
                return _end - _start > MaxHeaderBytes
                    ? new Header(false, $"a header longer than {MaxHeaderBytes / 1024} KiB", 0, 0, null)
                    : new Header(true, null, 0, 0, null);
            }

            if (newline + 1 - _start > MaxHeaderBytes)
            {
                return new Header(false, $"a header longer than {MaxHeaderBytes / 1024} KiB", 0, 0, null);
            }

            var lineEnd = newline > position && _buffer[newline - 1] == '\r' ? newline - 1 : newline;
            if (lineEnd == position)
            {
                return length < 0
                    ? new Header(false, "a header without Content-Length", 0, 0, null)
                    : new Header(false, null, newline + 1 - _start, (int)length, charset);
            }

            problem = ParseLine(_buffer.AsSpan(position, lineEnd - position), ref length, ref charset);
            if (problem is not null)
            {
                return new Header(false, problem, 0, 0, null);
            }

            position = newline + 1;
        }
    }

    private static string? ParseLine(ReadOnlySpan<byte> line, ref long length, ref string? charset)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return $"a header line without a name and ':' ({Show(line)})";
        }

        var name = line[..colon];
        foreach (var b in name)
        {
            if (!IsTokenChar(b))
            {
                return $"a header name that is not a token ({Show(name)})";
            }
        }

        var value = Encoding.Latin1.GetString(line[(colon + 1)..]).Trim(' ', '\t');
        if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            if (length >= 0)
            {
                return "two Content-Length headers";
            }

            if (value.Length == 0 || !value.All(char.IsAsciiDigit))
            {
                return $"Content-Length '{Show(value)}' is not a whole number of bytes";
            }

            if (value.TrimStart('0').Length > 9 || long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) > MaxFrameBytes)
            {
                return $"Content-Length {Show(value)} is over the {MaxFrameBytes / (1024 * 1024)} MiB frame limit";
            }

            length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (Ascii.EqualsIgnoreCase(name, "Content-Type"u8))
        {
            foreach (var part in value.Split(';').Skip(1))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && part[..equals].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
                {
                    charset = part[(equals + 1)..].Trim().Trim('"');
                }
            }
        }

        return null;
    }

    private static bool IsTokenChar(byte b) =>
        char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b);

    private static string Show(ReadOnlySpan<byte> bytes) => Show(Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 40)]));

    private static string Show(string text) =>
        new([.. (text.Length > 40 ? text[..40] + "…" : text).Select(c => char.IsControl(c) ? '?' : c)]);

    private int IndexOfLengthName(int from, int to)
    {
        for (var i = from; i <= to - LengthName.Length; i++)
        {
            var j = 0;
            while (j < LengthName.Length && (_buffer[i + j] | (LengthName[j] >= 'a' ? 0x20 : 0)) == LengthName[j])
            {
                j++;
            }

            if (j == LengthName.Length)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads more bytes; false at the end of the stream. Offsets from <see cref="_start"/> stay valid.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _buffer.Length)
        {
            var kept = _end - _start;
            var target = kept * 2 > _buffer.Length ? new byte[Math.Max(_buffer.Length * 2, InitialBuffer)] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, kept);
            _buffer = target;
            _start = 0;
            _end = kept;
        }

        var read = await input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }
}
