using System.CommandLine;
using System.Diagnostics;
using MLIntern.Server.Evaluate;
using MLIntern.Server.Release;
using MLIntern.Server.Runs;
using MLIntern.Server.State;
using MLIntern.Training.Release;
using Newtonsoft.Json;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern publish RUN --repo-id ID [--type model|space] [--private] (--yes | --approve-file FILE) [--print-only]`:
/// preflight (printed: files, sizes, problems), then approval, then `hf upload`. Approval is either
/// `--yes` plus the repo id typed at the terminal's prompt (recorded in run.json), or
/// `--approve-file` naming an approval recorded in run.json (by the editor, or an earlier prompt),
/// unused and for exactly these files. Anything else is refused: exit 2, nothing uploaded.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A run folder, or a run id under .mlintern/runs/" };
        var repoId = new Option<string>("--repo-id") { Description = "The Hub repo to upload to (owner/name)", Required = true };
        var type = new Option<string>("--type") { Description = "model (the run's model/ folder with its card) or space (the run's space/ folder)", DefaultValueFactory = _ => Preflight.ModelType };
        type.AcceptOnlyFromAmong(Preflight.ModelType, Preflight.SpaceType);
        var isPrivate = new Option<bool>("--private") { Description = "Create the repo private" };
        var yes = new Option<bool>("--yes") { Description = "Approve at the terminal: you are still asked to type the repo id" };
        var approveFile = new Option<string?>("--approve-file") { Description = "An approval record (JSON) that run.json also holds, e.g. written by the editor's approval" };
        var message = new Option<string?>("--commit-message") { Description = "The commit message (default names the run)" };
        var printOnly = new Option<bool>("--print-only") { Description = "After approval, print the hf upload command instead of running it" };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace folder holding .mlintern/ (default: the current folder and its parents)" };
        var command = new Command("publish", "Preflight, approve and upload a run's model (with its card) or Space to the Hugging Face Hub with `hf upload`.") { run, repoId, type, isPrivate, yes, approveFile, message, printOnly, workspace };
        command.SetAction((parse, cancellationToken) =>
        {
            Func<string, string?>? prompt = !Console.IsInputRedirected && !Console.IsOutputRedirected ? q =>
            {
                Console.Write(q);
                return Console.ReadLine();
            } : null;
            var options = new Options(parse.GetValue(repoId)!, parse.GetValue(type) ?? Preflight.ModelType, parse.GetValue(isPrivate), parse.GetValue(yes), parse.GetValue(approveFile), parse.GetValue(message), parse.GetValue(printOnly));
            return Task.FromResult(Run(parse.GetValue(run)!, parse.GetValue(workspace), options, prompt, RunUpload, Console.Out, Console.Error));
        });
        return command;
    }

    internal sealed record Options(string RepoId, string Type, bool Private, bool Yes, string? ApproveFile, string? CommitMessage, bool PrintOnly);

    /// <param name="prompt">Asks on a terminal; null without one (then --yes alone does not approve).</param>
    /// <param name="upload">Runs the command (the real one starts `hf`); returns its exit code.</param>
    public static int Run(string run, string? workspace, Options options, Func<string, string?>? prompt, Func<PublishApproval, TextWriter, int> upload, TextWriter output, TextWriter errors)
    {
        PublishTarget target;
        try
        {
            target = new PublishTarget(RunContext.Resolve(run, workspace), options.RepoId, options.Type, options.Private, options.CommitMessage);
        }
        catch (RunNotFoundException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        var report = Publisher.Check(target);
        output.WriteLine($"Preflight: {report.RepoType} {report.RepoId} ({(report.Private ? "private" : "public")}) from {report.Folder}");
        foreach (var file in report.Files)
        {
            output.WriteLine($"  {file.Size,12:N0}  {file.Path}");
        }

        output.WriteLine($"  {report.TotalBytes,12:N0}  bytes in {report.Files.Count} files (list hash {report.FileListHash[..12]})");
        foreach (var warning in report.CardWarnings)
        {
            errors.WriteLine($"warning: {warning.Field}: {warning.Message}");
        }

        foreach (var problem in report.Problems)
        {
            errors.WriteLine($"error: {(problem.File is null ? "" : Path.Combine(report.Folder, problem.File) + (problem.Line is { } l ? $":{l}" : "") + ": ")}{problem.Kind}: {problem.Message}");
        }

        if (!report.Passed)
        {
            errors.WriteLine($"publish refused: the preflight found {report.Problems.Count} problem(s); nothing was uploaded");
            return Commands.Findings;
        }

        PublishApproval approval;
        try
        {
            if (options.ApproveFile is { } file)
            {
                var claimed = ReadApproval(file);
                approval = Publisher.Use(target, claimed);
            }
            else if (options.Yes && prompt is not null)
            {
                var answer = prompt($"Upload {report.Files.Count} files ({report.TotalBytes:N0} bytes) to the {(options.Private ? "private" : "PUBLIC")} {options.Type} repo {options.RepoId}? Type the repo id to confirm: ");
                if (answer?.Trim() != options.RepoId)
                {
                    errors.WriteLine("publish refused: the answer was not the repo id; nothing was uploaded");
                    return Commands.Failure;
                }

                approval = Publisher.Use(target, Publisher.Approve(target, Environment.UserName, "terminal prompt (--yes)", report.FileListHash));
            }
            else
            {
                errors.WriteLine(options.Yes
                    ? "publish refused: --yes needs a terminal to confirm on; without one, pass --approve-file with an approval recorded in run.json. Nothing was uploaded."
                    : "publish refused: not approved. Run again with --yes on a terminal (you will be asked to type the repo id), or with --approve-file. Nothing was uploaded.");
                return Commands.Failure;
            }
        }
        catch (Exception e) when (e is PublishRefusedException or IOException or JsonException)
        {
            errors.WriteLine($"error: {e.Message}");
            return Commands.Failure;
        }

        output.WriteLine($"approved ({approval.Via} by {approval.ApprovedBy}, recorded in {target.Run.RunJsonPath} as {approval.Id})");
        output.WriteLine(UploadCommand.Line(approval));
        if (options.PrintOnly)
        {
            return Commands.Clean;
        }

        var code = upload(approval, errors);
        Publisher.RecordExit(target.Run, approval, code);
        return code == 0 ? Commands.Clean : Commands.Failure;
    }

    private static PublishApproval ReadApproval(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length > 1 << 20)
        {
            throw new PublishRefusedException($"{path}: no such approval file (or larger than 1 MB)");
        }

        var json = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(path));
        var approval = (json["approval"] ?? json).ToObject<PublishApproval>(JsonSerializer.Create(WorkspaceStore.Json));
        return approval is { Id.Length: > 0 } ? approval : throw new PublishRefusedException($"{path}: not an approval record");
    }

    /// <summary>Runs `hf upload …` with the terminal's streams; a missing `hf` is a clear message.</summary>
    private static int RunUpload(PublishApproval approval, TextWriter errors)
    {
        var info = new ProcessStartInfo(UploadCommand.Executable) { UseShellExecute = false };
        foreach (var argument in UploadCommand.Arguments(approval))
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            errors.WriteLine("error: `hf` is not installed (pip install -U huggingface_hub, then `hf auth login`); run the command above yourself — the approval is recorded");
            return 127;
        }
    }
}
