using System.Diagnostics;
using MLIntern.Server.Cli;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>
/// A FIFO and a link to /dev/zero, given to `check` or `inspect` or found in a checked folder, are
/// findings naming the file (MLD012), never a hang; the folder's other files are still checked and
/// the SARIF is whole.
/// </summary>
public sealed class HostileFileCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlintern-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Fifo(string name)
    {
        var path = Path.Combine(_folder, name);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private string ZeroLink(string name)
    {
        var path = Path.Combine(_folder, name);
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    /// <summary>Runs a verb on a thread of its own: on main these never returned, so the test waits a bounded time.</summary>
    private static async Task<(int Code, string Out, string Err)> Within(Func<TextWriter, TextWriter, int> verb)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var run = Task.Run(() => verb(output, errors));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run;
        Assert.True(finished, "the command was still running after 60 s (it opened a FIFO or /dev/zero)");
        return (await run, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task A_fifo_and_a_link_to_dev_zero_in_a_checked_folder_are_MLD012_findings_and_the_rest_is_checked()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.WriteAllText(Path.Combine(_folder, "tickets.csv"), "text,label\nwhere is my parcel,shipping\nwhere is my parcel,shipping\nrefund please,billing\n");
        var pipe = Fifo("pipe.csv");
        var zero = ZeroLink("zero.jsonl");

        var (_, sarif, errors) = await Within((o, e) => CheckCommand.Run([_folder], "sarif", o, e));
        var results = JObject.Parse(sarif)["runs"]![0]!["results"]!.ToList();
        string? MessageFor(string file, string code) => results
            .Where(r => (string?)r["ruleId"] == code && ((string?)r["locations"]?[0]?["physicalLocation"]?["artifactLocation"]?["uri"])?.EndsWith(file, StringComparison.Ordinal) == true)
            .Select(r => (string?)r["message"]?["text"]).FirstOrDefault();
        Assert.Equal("pipe.csv could not be read: it is a FIFO (named pipe), not a regular file, and was not opened", MessageFor("pipe.csv", "MLD012"));
        Assert.Equal("zero.jsonl could not be read: it is a character device, not a regular file, and was not opened", MessageFor("zero.jsonl", "MLD012"));
        Assert.NotNull(MessageFor("tickets.csv", "MLD002"));
        Assert.DoesNotContain("   at ", sarif + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_and_inspect_of_a_fifo_or_a_link_to_dev_zero_name_the_file_instead_of_hanging()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var pipe = Fifo("train.csv");
        var zero = ZeroLink("data.csv");
        foreach (var (path, what) in new[] { (pipe, "a FIFO (named pipe)"), (zero, "a character device") })
        {
            var (_, text, _) = await Within((o, e) => CheckCommand.Run([path], "text", o, e));
            Assert.Contains($"MLD012 {Path.GetFileName(path)} could not be read: it is {what}, not a regular file", text, StringComparison.Ordinal);

            var (_, inspected, _) = await Within((o, e) => InspectCommand.Run(path, "text", null, null, null, o, e));
            Assert.Contains($"{Path.GetFileName(path)} could not be read: it is {what}, not a regular file", inspected, StringComparison.Ordinal);
        }

        // A script that is a FIFO is refused the same way (the verb's error for a file it cannot read).
        var script = Fifo("train.py");
        var (code, _, errors) = await Within((o, e) => CheckCommand.Run([script], "text", o, e));
        Assert.Equal(2, code);
        Assert.Contains("is a FIFO (named pipe), not a regular file", errors, StringComparison.Ordinal);
    }
}
