using System.Text;

namespace MLIntern.Server.Lsp;

/// <summary>
/// Reads Content-Length frames from a byte stream and never gives up on it. A header that cannot be
/// read (no or a non-numeric Content-Length, a line without ':', a header block over
/// <see cref="MaxHeaderBytes"/>) is reported once, and reading resumes at the next "Content-Length:"
/// after the start of the bad frame. A frame whose body the caller rejects (<see cref="Reject"/>, for a
/// body that is not JSON) resumes the same way, so a frame that declared more bytes than it sent gives
/// back the frames it swallowed. While a body is still arriving its JSON structure is followed
/// (<see cref="BodyScan"/>): once its object or array has closed, a byte other than whitespace or a
/// comment proves the length a lie, and reading resumes there at once instead of waiting for bytes
/// that may never come. A frame over <see cref="MaxFrameBytes"/> is refused (<see cref="Result.TooLarge"/>)
/// and its body read past without being kept. Lines may end in CRLF or LF alone.
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

    /// <summary>Bytes of a refused frame still to be read past, and what its body looked like so far.</summary>
    private long _discard;
    private long _discardDeclared;
    private BodyScan _discardScan;

    /// <summary>
    /// One read: a frame, a problem with the bytes at the current position, or the end of the stream.
    /// <paramref name="TooLarge"/>: the problem is a whole frame over the cap, which its sender should be told about.
    /// </summary>
    public readonly record struct Result(bool End, string? Problem, ReadOnlyMemory<byte> Body, string? Charset, bool TooLarge = false);

    /// <summary>
    /// The next frame. Its body stays valid until the next call; the frame is consumed unless
    /// <see cref="Reject"/> is called before then.
    /// </summary>
    public async ValueTask<Result> ReadAsync(CancellationToken cancellationToken)
    {
        Accept();
        while (true)
        {
            if (_discard > 0)
            {
                if (_start == _end)
                {
                    // Nothing of the refused frame is kept: read the next bytes into an empty buffer.
                    _start = _end = 0;
                    if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return new Result(true, null, default, null);
                    }
                }

                var take = (int)Math.Min(_discard, _end - _start);
                var lie = _discardScan.Feed(_buffer.AsSpan(_start, take));
                if (lie >= 0 || _discardScan.Opaque)
                {
                    // Not one JSON message: the frame over the cap was never that long, and what follows is the next frame.
                    var framed = _discardDeclared - _discard + Math.Max(lie, 0);
                    _start += Math.Max(lie, 0);
                    _discard = 0;
                    _resync = true;
                    return new Result(false, lie >= 0 ? $"Content-Length {_discardDeclared} is more than the message it frames ({framed} bytes)" : $"Content-Length {_discardDeclared} frames no JSON message", default, null);
                }

                _start += take;
                _discard -= take;
                continue;
            }

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
            if (header.Length > MaxFrameBytes)
            {
                _start += bodyOffset;
                _discard = _discardDeclared = header.Length;
                _discardScan = default;
                return new Result(false, $"a frame of {header.Length:N0} bytes is over the {MaxFrameBytes / (1024 * 1024)} MiB limit", default, null, TooLarge: true);
            }

            var scan = default(BodyScan);
            var scanned = 0;
            while (_end - _start - bodyOffset < header.Length)
            {
                var arrived = _end - _start - bodyOffset;
                var lie = scan.Feed(_buffer.AsSpan(_start + bodyOffset + scanned, arrived - scanned));
                if (lie >= 0)
                {
                    _start += bodyOffset + scanned + lie;
                    _resync = true;
                    return new Result(false, $"Content-Length {header.Length} is more than the message it frames ({scanned + lie} bytes)", default, null);
                }

                scanned = arrived;
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
            // The line is not quoted: bytes that are not a header may be anything the client wrote by mistake, a secret included.
            return $"a header line without a name and ':' ({line.Length} bytes)";
        }

        var name = line[..colon];
        foreach (var b in name)
        {
            if (!IsTokenChar(b))
            {
                return $"a header name that is not a token ({name.Length} bytes)";
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

            if (value.TrimStart('0').Length > 10 || !int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                // No stream frames 2 GiB: this is noise, not a frame to read past.
                return $"Content-Length {Show(value)} is over the {MaxFrameBytes / (1024 * 1024)} MiB frame limit";
            }

            length = parsed;
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

    /// <summary>
    /// Follows a body's JSON structure byte by byte without keeping any: strings (either quote, with
    /// escapes), comments and the nesting depth are all its state, so it can follow a body that arrives in
    /// pieces or one too large to keep. It does not validate JSON (the handler does); it only tells when
    /// the body's object or array has closed and a byte that cannot belong to it follows.
    /// </summary>
    private struct BodyScan
    {
        private enum Phase : byte { Start, Inside, Closed, Opaque }

        private enum Comment : byte { None, Slash, Line, Block, BlockStar }

        private Phase _phase;
        private Comment _comment;
        private byte _quote;
        private bool _escape;
        private long _depth;

        /// <summary>The body does not start with an object or an array, so its end cannot be told.</summary>
        public readonly bool Opaque => _phase == Phase.Opaque;

        /// <summary>The index in <paramref name="bytes"/> of the first byte after the closed value that is not whitespace or a comment, or -1.</summary>
        public int Feed(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length && _phase != Phase.Opaque; i++)
            {
                var b = bytes[i];
                switch (_comment)
                {
                    case Comment.Line:
                        _comment = b == '\n' ? Comment.None : Comment.Line;
                        continue;
                    case Comment.Block:
                        _comment = b == '*' ? Comment.BlockStar : Comment.Block;
                        continue;
                    case Comment.BlockStar:
                        _comment = b == '/' ? Comment.None : b == '*' ? Comment.BlockStar : Comment.Block;
                        continue;
                    case Comment.Slash when b is (byte)'/' or (byte)'*':
                        _comment = b == '/' ? Comment.Line : Comment.Block;
                        continue;
                    case Comment.Slash:
                        // A lone '/': inside the value it is the handler's to refuse; outside, not JSON.
                        _comment = Comment.None;
                        if (_phase == Phase.Closed)
                        {
                            return i;
                        }

                        if (_phase == Phase.Start)
                        {
                            _phase = Phase.Opaque;
                            return -1;
                        }

                        break;
                }

                if (_quote != 0)
                {
                    if (_escape)
                    {
                        _escape = false;
                    }
                    else if (b == '\\')
                    {
                        _escape = true;
                    }
                    else if (b == _quote)
                    {
                        _quote = 0;
                    }

                    continue;
                }

                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    continue;
                }

                if (b == '/')
                {
                    _comment = Comment.Slash;
                    continue;
                }

                switch (_phase)
                {
                    case Phase.Start when b is (byte)'{' or (byte)'[':
                        _phase = Phase.Inside;
                        _depth = 1;
                        break;
                    case Phase.Start:
                        _phase = Phase.Opaque;
                        break;
                    case Phase.Inside when b is (byte)'"' or (byte)'\'':
                        _quote = b;
                        break;
                    case Phase.Inside when b is (byte)'{' or (byte)'[':
                        _depth++;
                        break;
                    case Phase.Inside when b is (byte)'}' or (byte)']':
                        if (--_depth == 0)
                        {
                            _phase = Phase.Closed;
                        }

                        break;
                    case Phase.Closed:
                        return i;
                }
            }

            return -1;
        }
    }
}
