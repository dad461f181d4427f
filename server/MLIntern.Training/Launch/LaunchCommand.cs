using System.Text;

namespace MLIntern.Training.Launch;

/// <summary>Where a script runs: one process, or several through a multi-GPU launcher.</summary>
public enum LaunchTarget
{
    Local,
    Accelerate,
    Torchrun,
}

/// <summary>
/// A command to run: executable, arguments, working directory and the environment it adds. The
/// extension turns it into a VS Code task (ShellExecution); the CLI starts it directly.
/// </summary>
public sealed record LaunchCommand(string Executable, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The command as a POSIX shell line, every argument quoted where the shell would split or expand it.</summary>
    public string CommandLine => string.Join(' ', Arguments.Prepend(Executable).Select(Quote));

    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)))
        {
            return argument;
        }

        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Whether two commands run the same thing: executable, arguments in order, working directory and environment.</summary>
    public bool SameAs(LaunchCommand other) =>
        Executable == other.Executable &&
        Arguments.SequenceEqual(other.Arguments) &&
        WorkingDirectory == other.WorkingDirectory &&
        Environment.Count == other.Environment.Count &&
        Environment.All(p => other.Environment.TryGetValue(p.Key, out var value) && value == p.Value);

    public LaunchCommand WithEnvironment(string key, string value)
    {
        var environment = new SortedDictionary<string, string>(Environment.ToDictionary(), StringComparer.Ordinal) { [key] = value };
        return this with { Environment = environment };
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('=').Append(Quote(value)).Append(' ');
        }

        return text.Append(CommandLine).ToString();
    }
}

/// <summary>
/// Composes the command line of a training script for a launch target:
/// local <c>python script.py ARGS</c>;
/// <c>accelerate launch --num_processes N [--multi_gpu] script.py ARGS</c>;
/// <c>torchrun --standalone --nproc_per_node N script.py ARGS</c>.
/// </summary>
public static class LaunchComposer
{
    public static LaunchCommand ForScript(string python, string script, IReadOnlyList<string> scriptArguments, string workingDirectory, LaunchTarget target, int processes, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (processes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(processes), "at least one process");
        }

        var env = new SortedDictionary<string, string>(environment?.ToDictionary() ?? [], StringComparer.Ordinal);
        return target switch
        {
            LaunchTarget.Local => new LaunchCommand(python, [script, .. scriptArguments], workingDirectory, env),
            LaunchTarget.Accelerate => new LaunchCommand(
                "accelerate",
                ["launch", "--num_processes", processes.ToString(System.Globalization.CultureInfo.InvariantCulture), .. processes > 1 ? new[] { "--multi_gpu" } : [], script, .. scriptArguments],
                workingDirectory,
                env),
            LaunchTarget.Torchrun => new LaunchCommand(
                "torchrun",
                ["--standalone", "--nproc_per_node", processes.ToString(System.Globalization.CultureInfo.InvariantCulture), script, .. scriptArguments],
                workingDirectory,
                env),
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };
    }

    public static LaunchTarget ParseTarget(string text) => text.ToLowerInvariant() switch
    {
        "local" or "python" => LaunchTarget.Local,
        "accelerate" => LaunchTarget.Accelerate,
        "torchrun" => LaunchTarget.Torchrun,
        _ => throw new ArgumentException($"unknown launch target '{text}' (local, accelerate or torchrun)"),
    };
}
