using MLIntern.Server.Protocol;

namespace MLIntern.Server.Tests;

/// <summary>
/// Real answers of the sidecar, written by the tests that received them, for the extension's unit tests
/// to read (extension/test/unit/samples/&lt;name&gt;.json, not committed: `make test` runs the .NET tests
/// first). So the TypeScript tests render what the sidecar really says, never a hand-copied answer.
/// </summary>
internal static class ProtocolSamples
{
    public static string Folder { get; } = Path.Combine(RepoRoot(), "extension", "test", "unit", "samples");

    /// <summary>Writes <paramref name="answer"/> (a protocol record, or the JSON token a client received) as <paramref name="name"/>.json.</summary>
    public static void Write(string name, object answer)
    {
        Directory.CreateDirectory(Folder);
        var json = answer is Newtonsoft.Json.Linq.JToken token ? token.ToString(Newtonsoft.Json.Formatting.Indented) : ProtocolJson.Write(answer, indented: true);
        File.WriteAllText(Path.Combine(Folder, name + ".json"), json + "\n");
    }

    /// <summary>A file the extension's end-to-end stand-ins serve as they are (the Hub scenario's Parquet file).</summary>
    public static void WriteFile(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, name), bytes);
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLIntern.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MLIntern.sln not found above " + AppContext.BaseDirectory);
    }
}
