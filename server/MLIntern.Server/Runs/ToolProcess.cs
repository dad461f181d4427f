using System.ComponentModel;
using System.Diagnostics;

namespace MLIntern.Server.Runs;

/// <summary>What a scheduler command printed and how it exited; <see cref="Started"/> is false when the executable could not be started (not installed).</summary>
internal sealed record ToolResult(bool Started, int ExitCode, string Output, string Errors)
{
    public bool Ok => Started && ExitCode == 0;

    /// <summary>The first line of what went wrong, for a message.</summary>
    public string Problem => !Started ? Errors : (Errors.Trim().Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? $"exit code {ExitCode}").Trim();
}

/// <summary>Runs a scheduler's command-line tool (sbatch, squeue, scontrol, sacct, scancel, hf) with a deadline, capturing its output.</summary>
internal static class ToolProcess
{
    public static ToolResult Run(string executable, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            return new ToolResult(false, -1, "", $"{executable} could not be started ({e.Message}); is it installed and on PATH?");
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                return new ToolResult(true, -1, "", $"{executable} did not answer within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s");
            }

            process.WaitForExit();
            return new ToolResult(true, process.ExitCode, output.Result, errors.Result);
        }
    }
}
