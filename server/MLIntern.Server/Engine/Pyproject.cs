using System.Globalization;

namespace MLIntern.Server.Engine;

/// <summary>Where a file's project settings live (the nearest pyproject.toml) and reading a table of it through <see cref="Toml"/>.</summary>
internal static class Pyproject
{
    private const int MaxLevelsUp = 32;

    /// <summary>The nearest pyproject.toml in the folder of <paramref name="path"/> (or the folder itself) and above.</summary>
    public static string? Find(string path)
    {
        var directory = Directory.Exists(path) ? Path.GetFullPath(path) : Path.GetDirectoryName(Path.GetFullPath(path));
        for (var depth = 0; depth < MaxLevelsUp && directory is not null; depth++)
        {
            var candidate = Path.Combine(directory, "pyproject.toml");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            directory = Path.GetDirectoryName(directory);
        }

        return null;
    }

    /// <summary>
    /// The scalar settings of <paramref name="table"/> and of its `.data` subtable, as invariant text
    /// (numbers without underscores, true/false). Arrays and anything TOML-exotic are skipped.
    /// </summary>
    public static List<KeyValuePair<string, string>> ReadSection(string text, string table)
    {
        var tables = Toml.Parse(text);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var name in new[] { table, table + ".data" })
        {
            if (!tables.TryGetValue(name, out var entries))
            {
                continue;
            }

            foreach (var (key, value) in entries)
            {
                var scalar = value switch
                {
                    string s => s,
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    _ => null,
                };
                if (scalar is not null)
                {
                    values.Add(KeyValuePair.Create(key, scalar));
                }
            }
        }

        return values;
    }
}
