using System.Text;
using MLIntern.Python.Text;

namespace MLIntern.Python.Tests.Text;

public sealed class SourceTextTests
{
    [Fact]
    public void OffsetsMapToLspPositionsAndBackForEveryLineEnding()
    {
        var text = SourceText.From("a = 1\r\nb = 2\rc = 3\nd");
        Assert.Equal(4, text.LineCount);
        Assert.Equal(LineEnding.CarriageReturnLineFeed, text.LineEnding);
        Assert.Equal(new LinePosition(1, 0), text.GetLinePosition(7));
        Assert.Equal(new LinePosition(2, 2), text.GetLinePosition(15));
        Assert.Equal(new LinePosition(3, 0), text.GetLinePosition(19));
        for (int offset = 0; offset <= text.Length; offset++)
        {
            var p = text.GetLinePosition(offset);
            if (offset < text.Length && text.Text[offset] == '\n' && offset > 0 && text.Text[offset - 1] == '\r')
            {
                continue; // Between \r and \n there is no position of its own.
            }

            Assert.Equal(offset, text.GetOffset(p));
        }

        Assert.Equal((2, 1), text.GetLineColumn(7));
        Assert.Equal(5, text.GetLineEnd(0));
    }

    [Fact]
    public void Utf8ColumnsCountBytesAsCPythonDoes()
    {
        var text = SourceText.From("s = 'é😀x'");
        int x = text.Text.IndexOf('x', StringComparison.Ordinal);
        Assert.Equal(8, x); // UTF-16: 'é' is one unit, the emoji two.
        Assert.Equal(11, text.GetUtf8Column(x)); // UTF-8: 2 + 4 bytes.
        Assert.Equal(new LinePosition(0, 8), text.GetLinePosition(x));
    }

    [Fact]
    public void PositionsPastTheEndClamp()
    {
        var text = SourceText.From("ab\ncd");
        Assert.Equal(2, text.GetOffset(new LinePosition(0, 99)));
        Assert.Equal(5, text.GetOffset(new LinePosition(9, 0)));
        Assert.Equal(0, text.GetOffset(new LinePosition(-1, 0)));
    }

    [Fact]
    public void BytesAreDecodedWithBomAndCodingDeclarations()
    {
        var bom = SourceText.FromBytes(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'x' });
        Assert.Equal("x", bom.Text);
        Assert.Null(bom.DecodeError);

        var latin1 = SourceText.FromBytes(Encoding.Latin1.GetBytes("# -*- coding: latin-1 -*-\ns = '\u00e9'\n"));
        Assert.Contains("\u00e9", latin1.Text, StringComparison.Ordinal);
        Assert.Equal("latin-1", latin1.DeclaredEncoding);

        var koi8 = SourceText.FromBytes([.. "# coding: koi8-r\ns='"u8, 0xC1, (byte)'\'']);
        Assert.Null(koi8.DecodeError);
        Assert.Contains("\u0430", koi8.Text, StringComparison.Ordinal);

        Assert.Equal(0, SourceText.FromBytes("# coding: nope\n"u8).DecodeError!.Value.Line);
        var bad = SourceText.FromBytes(new byte[] { (byte)'x', (byte)'\n', 0xFF });
        Assert.Equal(2, bad.DecodeError!.Value.Line);
    }
}
