using System.Buffers;

namespace MLIntern.Data.Reading;

/// <summary>
/// Splits a byte stream into physical lines (\n, \r\n or a lone \r) without decoding it, so that
/// invalid UTF-8 can be reported with its line instead of failing the read. Memory is bounded by
/// the longest line, which is itself capped.
/// </summary>
internal sealed class LineReader : IDisposable
{
    /// <summary>Longer lines are cut here and reported; a data file line has no business being this long.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _eof;
    private bool _pendingCr;

    public LineReader(Stream stream) => _stream = stream;

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    /// <summary>True when the line last returned was cut at <see cref="MaxLineBytes"/>.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The next line without its terminator, or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        Truncated = false;
        var scanFrom = _start;
        while (true)
        {
            if (_pendingCr && scanFrom < _end)
            {
                // A \r ended the previous line; a \n right after it belongs to that terminator.
                if (_buffer[scanFrom] == (byte)'\n')
                {
                    _start++;
                    scanFrom++;
                }

                _pendingCr = false;
            }

            var span = _buffer.AsSpan(scanFrom, _end - scanFrom);
            var at = span.IndexOfAny((byte)'\n', (byte)'\r');
            if (at >= 0)
            {
                var stop = scanFrom + at;
                line = _buffer.AsSpan(_start, stop - _start);
                if (_buffer[stop] == (byte)'\r')
                {
                    if (stop + 1 < _end)
                    {
                        _start = stop + 1 + (_buffer[stop + 1] == (byte)'\n' ? 1 : 0);
                    }
                    else
                    {
                        _start = stop + 1;
                        _pendingCr = true;
                    }
                }
                else
                {
                    _start = stop + 1;
                }

                LineNumber++;
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    LineNumber++;
                    return true;
                }

                line = default;
                return false;
            }

            if (_end - _start >= MaxLineBytes)
            {
                line = _buffer.AsSpan(_start, MaxLineBytes);
                Truncated = true;
                SkipRestOfLine();
                LineNumber++;
                return true;
            }

            scanFrom = Fill();
        }
    }

    /// <summary>Reads more bytes, compacting or growing the buffer; returns where scanning resumes.</summary>
    private int Fill()
    {
        var scanned = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
        return _start + scanned;
    }

    private void SkipRestOfLine()
    {
        _start = _end;
        while (true)
        {
            var read = _stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _eof = true;
                _start = _end = 0;
                return;
            }

            var at = _buffer.AsSpan(0, read).IndexOfAny((byte)'\n', (byte)'\r');
            if (at >= 0)
            {
                _start = at;
                _end = read;
                // Leave the terminator in the buffer: the next read consumes it as an empty line's end.
                _start = at + 1;
                _pendingCr = _buffer[at] == (byte)'\r';
                return;
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
