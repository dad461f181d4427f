using System.CommandLine;
using System.Diagnostics;
using MLIntern.Python.Parsing;
using MLIntern.Python.Semantics;

namespace MLIntern.Server.Cli;

/// <summary>
/// `mlintern debug memory FILE`: checks one script in its phases (read, parse, rules with their semantic model)
/// and prints after each the elapsed time, the GC heap's live bytes, the process's resident set and
/// its peak so far. What bench/memory.sh's single peak figure is made of.
/// </summary>
internal static class DebugMemoryCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The Python script to check" };
        var command = new Command("memory", "Check a script phase by phase and print the memory after each phase.") { file };
        command.SetAction(parse =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var clock = Stopwatch.StartNew();
            Console.WriteLine($"{"phase",-8} {"s",7} {"live MB",8} {"RSS MB",7} {"peak MB",8}");
            var source = Engine.FileChecks.ReadSource(path);
            Report("read", clock);
            var tree = Parser.Parse(source, TokenRetention.CommentsWhenClean);
            Report("parse", clock);
            var findings = Analysis.Rules.ScriptChecker.Check(tree, Engine.ScriptDatasets.For(path, Engine.FileChecks.Datasets));
            Report("rules", clock);
            Console.WriteLine($"{findings.Count} finding(s)");
            return Commands.Clean;
        });
        return command;
    }

    private static void Report(string phase, Stopwatch clock)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        var live = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        var (rss, peak) = (Status("VmRSS:"), Status("VmHWM:"));
        Console.WriteLine($"{phase,-8} {seconds,7:F2} {live,8:F0} {rss,7:F0} {peak,8:F0}");
    }

    // Linux's /proc/self/status, in MB (0 elsewhere).
    private static double Status(string key)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
