using System.Globalization;
using System.Text;

namespace MLIntern.Training.Launch;

/// <summary>
/// The sbatch script of a Slurm plan, written from the plan: `#SBATCH` job name, partition, nodes,
/// GPUs, CPUs per task, `--time`, the output file in the run folder and no requeue, then the
/// approved command as its last line. The plan holds the script with <see cref="RunFolderToken"/>
/// where the run's folder goes (the folder exists only once the run is created); the approval shows
/// that text and the plan's hash covers it, and <see cref="ForRun"/> is the only change made to it.
/// </summary>
public static class SbatchScript
{
    public const string RunFolderToken = "{run}";

    /// <summary>The job's output (stdout and stderr) inside the run folder: the file the Metrics panel tails.</summary>
    public const string OutputFile = "stdout.log";

    /// <param name="commandLine">The approved command as a shell line (already quoted).</param>
    public static string Template(ComputeTarget target, string jobName, string workingDirectory, string commandLine, IReadOnlyDictionary<string, string> environment, string planNote)
    {
        if (target.Kind != TargetKind.Slurm)
        {
            throw new ArgumentException("not a Slurm target", nameof(target));
        }

        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append("#SBATCH --job-name=").Append(JobName(jobName)).Append('\n');
        if (!string.IsNullOrWhiteSpace(target.Partition))
        {
            text.Append("#SBATCH --partition=").Append(target.Partition.Trim()).Append('\n');
        }

        text.Append("#SBATCH --nodes=").Append(Math.Max(1, target.Nodes).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("#SBATCH --ntasks-per-node=1\n");
        if (target.Gpus > 0)
        {
            text.Append("#SBATCH --gpus-per-node=").Append(target.Gpus.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("#SBATCH --cpus-per-task=").Append(Math.Max(1, target.Cpus).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("#SBATCH --time=").Append(ComputeTarget.SlurmTime(target.TimeMinutes ?? throw new ArgumentException("a Slurm target needs a time limit", nameof(target)))).Append('\n');
        text.Append("#SBATCH --output=\"").Append(RunFolderToken).Append('/').Append(OutputFile).Append("\"\n");
        text.Append("#SBATCH --open-mode=append\n");
        text.Append("#SBATCH --no-requeue\n");
        text.Append("# Written by ML Intern: ").Append(planNote.Replace('\n', ' ')).Append(". The last line is the approved command.\n");
        text.Append("set -eu\n");
        text.Append("cd ").Append(LaunchCommand.Quote(workingDirectory)).Append('\n');
        text.Append("export MLINTERN_RUN_DIR=").Append(RunFolderToken).Append('\n');
        text.Append("export MLINTERN_RUN_ID=\"$(basename \"$MLINTERN_RUN_DIR\")\"\n");
        text.Append("export PYTHONUNBUFFERED=1\n");
        foreach (var (key, value) in environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("export ").Append(key).Append('=').Append(LaunchCommand.Quote(value)).Append('\n');
        }

        text.Append("exec ").Append(commandLine).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// The script submitted for a run: the token replaced by the run folder — as written on the
    /// `#SBATCH` lines (inside their double quotes), shell-quoted elsewhere. A folder with a double
    /// quote or a line break is refused (it would change the directives).
    /// </summary>
    public static string ForRun(string template, string runFolder)
    {
        if (runFolder.IndexOfAny(['"', '\n', '\r', '%']) >= 0)
        {
            throw new ArgumentException($"the run folder '{runFolder}' holds a character an #SBATCH line cannot carry", nameof(runFolder));
        }

        var lines = template.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].StartsWith("#SBATCH", StringComparison.Ordinal)
                ? lines[i].Replace(RunFolderToken, runFolder, StringComparison.Ordinal)
                : lines[i].Replace(RunFolderToken, LaunchCommand.Quote(runFolder), StringComparison.Ordinal);
        }

        return string.Join('\n', lines);
    }

    /// <summary>A job name Slurm shows as it is: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    public static string JobName(string name)
    {
        var text = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('-');
        return text.Length == 0 ? "mlintern" : text[..Math.Min(64, text.Length)];
    }
}
