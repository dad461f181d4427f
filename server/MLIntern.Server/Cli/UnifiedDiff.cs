using System.Text;
using DiffPlex;

namespace MLIntern.Server.Cli;

/// <summary>A unified diff (three lines of context) of two versions of a file, as `--diff` prints it.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Render(string path, string before, string after)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        var blocks = Differ.Instance.CreateLineDiffs(before, after, ignoreWhitespace: false, ignoreCase: false).DiffBlocks;
        if (blocks.Count == 0)
        {
            return "";
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(path).Append('\n').Append("+++ ").Append(path).Append('\n');
        var i = 0;
        while (i < blocks.Count)
        {
            // Blocks closer than twice the context share a hunk.
            var j = i;
            while (j + 1 < blocks.Count && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * Context)
            {
                j++;
            }

            var startA = Math.Max(blocks[i].DeleteStartA - Context, 0);
            var startB = Math.Max(blocks[i].InsertStartB - Context, 0);
            var endA = Math.Min(blocks[j].DeleteStartA + blocks[j].DeleteCountA + Context, a.Count);
            var endB = Math.Min(blocks[j].InsertStartB + blocks[j].InsertCountB + Context, b.Count);
            output.Append($"@@ -{startA + 1},{endA - startA} +{startB + 1},{endB - startB} @@\n");

            var lineA = startA;
            for (var k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; lineA < block.DeleteStartA; lineA++)
                {
                    output.Append(' ').Append(a[lineA]).Append('\n');
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    output.Append('-').Append(a[block.DeleteStartA + d]).Append('\n');
                }

                for (var n = 0; n < block.InsertCountB; n++)
                {
                    output.Append('+').Append(b[block.InsertStartB + n]).Append('\n');
                }

                lineA = block.DeleteStartA + block.DeleteCountA;
            }

            for (; lineA < endA; lineA++)
            {
                output.Append(' ').Append(a[lineA]).Append('\n');
            }

            i = j + 1;
        }

        return output.ToString();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
