using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using MLIntern.Analysis.Findings;
using MLIntern.Python.Parsing;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Assist;

/// <summary>
/// What the assistant is asked: the lines to change (the selection, grown to whole lines, or the
/// finding under the cursor), the code around them with line numbers, the findings there with the
/// data set facts they quote, and the user's words. Secrets are redacted before anything leaves.
/// </summary>
internal sealed record AssistantPrompt(string System, string User, int FirstLine, int LastLine)
{
    public const string SystemText =
        """
        You are ML Intern, a careful machine-learning engineer reviewing a Python training script.
        Propose one minimal change to the lines the user marks, that answers their request or fixes
        the findings listed. Reply with exactly one fenced ```python block holding the complete new
        text of those lines (it replaces them; keep their indentation), then one short paragraph
        saying what the change does and why. Change nothing outside those lines.
        """;

    public static AssistantPrompt Build(FixRequest request, int contextLines)
    {
        var lines = request.Text.Split('\n');
        var (first, last) = Target(request, lines.Length);
        var from = Math.Max(1, first - contextLines);
        var to = Math.Min(lines.Length, last + contextLines);
        var user = new StringBuilder();
        user.Append("File: ").Append(request.FilePath is null ? "(unsaved)" : Path.GetFileName(request.FilePath)).Append('\n');
        user.Append($"Lines to change: {first}-{last}\n\n");
        user.Append("```python\n");
        for (var line = from; line <= to; line++)
        {
            user.Append(line >= first && line <= last ? ">" : " ").Append(line.ToString(CultureInfo.InvariantCulture).PadLeft(5)).Append(" | ").Append(lines[line - 1].TrimEnd('\r')).Append('\n');
        }

        user.Append("```\n");
        var findings = request.Findings.Where(f => f.Range.Line <= to && f.Range.EndLine >= from).OrderBy(f => f.Range.Line).ToList();
        if (findings.Count > 0)
        {
            user.Append("\nFindings of ML Intern's checker in this code:\n");
            foreach (var f in findings)
            {
                user.Append($"- line {f.Range.Line}: {f.Code} {f.Message}\n");
            }
        }

        user.Append('\n').Append(string.IsNullOrWhiteSpace(request.Question) ? $"Fix the findings on lines {first}-{last}." : $"Request: {request.Question.Trim()}").Append('\n');
        return new AssistantPrompt(SystemText, Training.Release.Preflight.RedactSecrets(user.ToString()), first, last);
    }

    /// <summary>The selection's whole lines; for a cursor, the lines of the findings under it, else its line.</summary>
    private static (int First, int Last) Target(FixRequest request, int lineCount)
    {
        var range = request.Range;
        var last = range.EndLine > range.Line && range.EndColumn == 1 ? range.EndLine - 1 : range.EndLine;
        var (first, end) = (range.Line, Math.Max(range.Line, last));
        if (range.Line == range.EndLine && range.Column == range.EndColumn)
        {
            foreach (var f in request.Findings.Where(f => f.Range.Line <= range.Line && range.Line <= f.Range.EndLine))
            {
                first = Math.Min(first, f.Range.Line);
                end = Math.Max(end, f.Range.EndColumn == 1 && f.Range.EndLine > f.Range.Line ? f.Range.EndLine - 1 : f.Range.EndLine);
            }
        }

        return (Math.Clamp(first, 1, lineCount), Math.Clamp(end, 1, lineCount));
    }
}

/// <summary>The assistant's reply read back: the code block that replaces the lines, and its explanation.</summary>
internal static partial class AssistantReply
{
    public static (string? Code, string Explanation) Read(string reply)
    {
        var match = CodeBlock().Match(reply);
        if (!match.Success)
        {
            return (null, reply.Trim());
        }

        var explanation = (reply[..match.Index] + reply[(match.Index + match.Length)..]).Trim();
        return (match.Groups["code"].Value, explanation);
    }

    [GeneratedRegex(@"```[ \t]*(?:python|py|python3)?[ \t]*\r?\n(?<code>.*?)\r?\n?```", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CodeBlock();
}

/// <summary>
/// The LLM provider of "Ask for a Fix": answers a question or a selection through any
/// OpenAI-compatible chat endpoint (Semantic Kernel's OpenAI connector), when one is configured.
/// Its proposals are always unsafe (a model may change more than it says) and are offered only when
/// the changed file still parses; the editor shows each as a diff and applies it only on accept.
/// A cursor without a question is left to the offline rule provider.
/// </summary>
internal sealed class AssistantProvider(Func<JObject?> settings, ILogger logger, Func<string, string?>? environment = null) : IFixProvider
{
    public const string ProviderName = "assistant";

    private const int MaxExplanation = 2000;

    public string Name => ProviderName;

    public async Task<IReadOnlyList<FixProposal>> ProposeAsync(FixRequest request, CancellationToken cancellationToken)
    {
        var config = AssistantSettings.From(settings(), environment ?? Environment.GetEnvironmentVariable, out var problem);
        if (config is null)
        {
            return problem is null ? [] : [Note("The assistant is not configured correctly", problem)];
        }

        var selection = request.Range.Line != request.Range.EndLine || request.Range.Column != request.Range.EndColumn;
        if (string.IsNullOrWhiteSpace(request.Question) && !selection)
        {
            return [];
        }

        var prompt = AssistantPrompt.Build(request, config.ContextLines);
        logger.LogInformation("assistant: asking {Model} at {Host} about lines {First}-{Last} ({Chars} characters)", config.Model, config.Endpoint.Host, prompt.FirstLine, prompt.LastLine, prompt.User.Length);
        string reply;
        try
        {
            reply = await Ask(config, prompt, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or HttpOperationException or KernelException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            var why = e is TaskCanceledException ? $"no answer within {config.Timeout.TotalSeconds:0} s" : e.Message;
            logger.LogWarning("assistant: {Model} at {Host} failed: {Why}", config.Model, config.Endpoint.Host, why);
            return [Note($"The assistant at {config.Endpoint.Host} did not answer", why)];
        }

        return [Propose(request, prompt, reply)];
    }

    private static async Task<string> Ask(AssistantSettings config, AssistantPrompt prompt, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = config.Timeout };
        var builder = Kernel.CreateBuilder();
#pragma warning disable SKEXP0010 // a custom endpoint (Ollama, vLLM, …) is the point of the assistant
        builder.AddOpenAIChatCompletion(config.Model, config.Endpoint, config.ApiKey ?? "none", httpClient: http);
#pragma warning restore SKEXP0010
        var chat = builder.Build().GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory(prompt.System);
        history.AddUserMessage(prompt.User);
        var answer = await chat.GetChatMessageContentAsync(history, new OpenAIPromptExecutionSettings { Temperature = 0, MaxTokens = 4000 }, cancellationToken: cancellationToken);
        return answer.Content ?? "";
    }

    /// <summary>The reply as a proposal: the lines replaced by its code block, when the file still parses.</summary>
    private static FixProposal Propose(FixRequest request, AssistantPrompt prompt, string reply)
    {
        var (code, explanation) = AssistantReply.Read(reply);
        explanation = explanation.Length > MaxExplanation ? explanation[..MaxExplanation] + "…" : explanation;
        if (code is null)
        {
            return Note("The assistant answered without a change", explanation.Length == 0 ? "(an empty answer)" : explanation);
        }

        var lines = request.Text.Split('\n');
        var newline = request.Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var replacement = string.Join(newline, code.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')) + newline;
        var hasNextLine = prompt.LastLine < lines.Length;
        var range = hasNextLine
            ? new SourceRange(prompt.FirstLine, 1, prompt.LastLine + 1, 1)
            : new SourceRange(prompt.FirstLine, 1, prompt.LastLine, lines[^1].Length + 1);
        if (!hasNextLine)
        {
            replacement = replacement[..^newline.Length];
        }

        var before = string.Join("\n", lines[(prompt.FirstLine - 1)..prompt.LastLine]);
        if (before.Replace("\r", "", StringComparison.Ordinal).TrimEnd() == replacement.Replace("\r", "", StringComparison.Ordinal).TrimEnd())
        {
            return Note("The assistant proposes no change", explanation);
        }

        var edited = Apply(lines, prompt.FirstLine, prompt.LastLine, replacement, newline, hasNextLine);
        var errorsBefore = Parser.Parse(request.Text).Errors.Count;
        var after = Parser.Parse(edited);
        if (after.Errors.Count > errorsBefore)
        {
            var error = after.FirstError ?? after.Errors[0];
            var line = after.Source.GetLineColumn(error.Range.Start).Line;
            return Note("The assistant's change does not parse", $"Not offered: with it, line {line} has a syntax error ({error.Message}). The assistant said: {explanation}");
        }

        var title = explanation.Split('\n', 2)[0].Trim();
        title = title.Length == 0 ? $"Change lines {prompt.FirstLine}-{prompt.LastLine}" : title.Length > 90 ? title[..90] + "…" : title;
        return new FixProposal(ProviderName, "Assistant: " + title, null, Applicability.Unsafe, explanation + " (Proposed by an LLM: review the diff before applying it.)", [new TextEdit(range, replacement)]);
    }

    private static string Apply(string[] lines, int first, int last, string replacement, string newline, bool hasNextLine)
    {
        var head = string.Join("\n", lines[..(first - 1)]);
        var tail = hasNextLine ? string.Join("\n", lines[last..]) : "";
        return (first > 1 ? head + "\n" : "") + replacement.Replace(newline, "\n", StringComparison.Ordinal) + tail;
    }

    private static FixProposal Note(string title, string explanation) =>
        new(ProviderName, title, null, Applicability.DisplayOnly, explanation, []);
}
