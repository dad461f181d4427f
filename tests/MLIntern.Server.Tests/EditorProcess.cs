using System.Diagnostics;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Tests;

/// <summary>What the real-editor tests share: finding the editor on PATH, and running it headless until it writes its report.</summary>
internal static class EditorProcess
{
    /// <summary>The command the editors start the sidecar with: the test build's mlintern.dll.</summary>
    public static string ServerCommand => new JArray("dotnet", Path.Combine(AppContext.BaseDirectory, "mlintern.dll"), "serve", "--log-level", "debug").ToString(Newtonsoft.Json.Formatting.None);

    /// <summary>
    /// A project folder under <paramref name="dir"/> with the editor tests' script (tests/clients/nvim/train.py: an é and an
    /// emoji before a finding) and the tickets.csv it loads; the script's path and its original text.
    /// </summary>
    public static (string Project, string Script, string Original) MakeProject(string dir)
    {
        var original = File.ReadAllText(Path.Combine(ProtocolSamples.RepoRoot(), "tests", "clients", "nvim", "train.py"));
        var project = Path.Combine(dir, "project");
        Directory.CreateDirectory(project);
        var script = Path.Combine(project, "train.py");
        File.WriteAllText(script, original);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "tickets.csv"), Path.Combine(project, "tickets.csv"));
        return (project, script, original);
    }

    /// <summary>How to start the editor <paramref name="name"/> (found on PATH) in <paramref name="project"/> with <paramref name="arguments"/>.</summary>
    public static ProcessStartInfo StartInfo(string name, string install, string project, params string[] arguments)
    {
        var info = new ProcessStartInfo(Find(name, install)) { WorkingDirectory = project };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>The editor <paramref name="name"/> on PATH; a missing one fails the test with what to install (never skipped).</summary>
    private static string Find(string name, string install)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{name} is not on PATH: install it ({install}; .ci/run and scripts/e2e-setup.sh do) — this test drives the sidecar with that editor's LSP client and is never skipped");
        return "";
    }

    /// <summary>
    /// Runs the editor until it exits (at most <paramref name="timeout"/>, then it is killed and the test fails) and
    /// returns its report (<paramref name="output"/>, JSON) and a description of everything it left, for assertion messages.
    /// </summary>
    public static async Task<(JObject Report, int ExitCode, string Said)> RunAsync(ProcessStartInfo info, string output, TimeSpan timeout)
    {
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var editor = Process.Start(info)!;
        var stdout = editor.StandardOutput.ReadToEndAsync();
        var stderr = editor.StandardError.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await editor.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                editor.Kill(entireProcessTree: true);
                Assert.Fail($"{Path.GetFileName(info.FileName)} did not finish within {timeout.TotalMinutes} minutes; it wrote: {(File.Exists(output) ? File.ReadAllText(output) : "nothing")}; stderr: {await stderr}");
            }
        }

        var said = $"{Path.GetFileName(info.FileName)} exited {editor.ExitCode}; report: {(File.Exists(output) ? File.ReadAllText(output) : "(none)")}; stdout: {await stdout}; stderr: {await stderr}";
        Assert.True(File.Exists(output), said);
        return (JObject.Parse(File.ReadAllText(output)), editor.ExitCode, said);
    }
}
