using MLIntern.Findings;
using System.Buffers;
using System.Text;

namespace MLIntern.Data.Reading;

/// <summary>Helpers over UTF-8 bytes that never throw on invalid input.</summary>
public static class Utf8Text
{
    /// <summary>The number of UTF-16 code units the bytes decode to (invalid bytes count one each, as U+FFFD).</summary>
    public static int Utf16Length(ReadOnlySpan<byte> bytes)
    {
        // ASCII first: it is the common case, and ASCII is valid UTF-8, so one pass decides.
        if (Ascii.IsValid(bytes))
        {
            return bytes.Length;
        }

        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetCharCount(bytes);
        }

        var count = 0;
        var guard = bytes.Length + 1;
        while (!bytes.IsEmpty && guard-- > 0)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            count += status == OperationStatus.Done ? rune.Utf16SequenceLength : 1;
            bytes = bytes[Math.Max(1, consumed)..];
        }

        return count;
    }

    /// <summary>Decodes leniently (invalid bytes become U+FFFD), cut to <paramref name="maxChars"/> with an ellipsis.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes, int maxChars = 120)
    {
        // Secrets are redacted before the text is cut, so a token that straddles the cut is still whole
        // when the detector sees it (the slack covers the longest format) and no part of it is shown.
        var window = maxChars * 4 + 512;
        if (bytes.Length > window)
        {
            bytes = bytes[..window];
        }

        var text = Secrets.Redact(Encoding.UTF8.GetString(bytes));
        text = text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return text.Length > maxChars ? string.Concat(text.AsSpan(0, maxChars - 1), "…") : text;
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or -1.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        var guard = bytes.Length + 1;
        while (offset < bytes.Length && guard-- > 0)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }
}
