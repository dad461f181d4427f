using System.Diagnostics;
using System.Globalization;
using MLIntern.Training.Runs;

namespace MLIntern.Server.State;

/// <summary>
/// Which process is which, across time: a pid with the process's start time, so a pid the OS has
/// handed to a new process since is not mistaken for the one that started a run. On Linux the start
/// time is field 22 of /proc/PID/stat (clock ticks since boot), read as text; elsewhere the
/// runtime's start time.
/// </summary>
internal static class ProcessIdentity
{
    /// <summary>
    /// This process, or null when the OS does not say (no /proc): then nothing is recorded, because a
    /// process that cannot be seen would look gone to every reader and its run would be ended while it runs.
    /// </summary>
    public static RunProcess? Current() => Of(Environment.ProcessId);

    /// <summary>The process with this pid as it is now, or null when there is none (or only its zombie).</summary>
    public static RunProcess? Of(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 20 || fields[0] is "Z" or "X" or "x")
            {
                return null;
            }

            return new RunProcess(pid, fields[19], Environment.MachineName);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new RunProcess(pid, process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture), Environment.MachineName);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a recorded process is certainly gone: on this machine, and its pid is free or names a
    /// process started at another time. A run recorded on another machine is never judged here.
    /// </summary>
    public static bool IsGone(RunProcess recorded)
    {
        if (recorded.Host != Environment.MachineName)
        {
            return false;
        }

        var now = Of(recorded.Pid);
        return now is null || (recorded.StartTime.Length > 0 && now.StartTime != recorded.StartTime);
    }
}
