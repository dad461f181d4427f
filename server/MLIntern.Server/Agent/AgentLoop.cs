using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using MLIntern.Findings;
using MLIntern.Server.Assist;
using MLIntern.Server.Protocol;
using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Agent;

/// <summary>
/// The intern with a model: Semantic Kernel's OpenAI connector, streaming, with the tool-calling loop
/// driven here (the kernel only describes the tools; it invokes none), so every call goes through
/// <see cref="ToolRunner"/>'s validation. Text deltas stream to the view as they come; a call's
/// arguments are gathered across chunks by the call's index, parallel calls run one after the other
/// in index order. A turn ends when the model answers without a call, after <see cref="AgentHub.MaxSteps"/>
/// rounds, or when the model repeats one call (same tool, same arguments) a third time.
/// </summary>
internal sealed class AgentLoop(AgentHub hub, AgentSession session, AssistantSettings? settings, ILogger logger)
{
    public const string SystemPrompt =
        """
        You are ML Intern, a careful junior machine-learning engineer working inside the user's project.
        Work through the project with the tools: inspect the data set, check the training scripts, propose
        fixes as diffs (never claim a file was changed), plan training with its estimate, launch only through
        launch_training (the user approves every run), evaluate the run (lead with the leakage audit when a
        score is suspiciously high), then write the card and the demo. Publishing needs the user's approval.
        Say briefly what each result means. Never invent figures: quote the tools' results.
        """;

    /// <summary>A call repeated this many times (same tool, same arguments) is refused and ends the turn.</summary>
    public const int RepeatLimit = 3;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            session.Emit(AgentEventKind.Error, "the assistant endpoint is not configured any more (mlintern.assistant.endpoint and model)");
            return;
        }

        using var http = new HttpClient { Timeout = settings.Timeout };
        var builder = Kernel.CreateBuilder();
#pragma warning disable SKEXP0010 // a custom endpoint (Ollama, vLLM, …) is the point
        builder.AddOpenAIChatCompletion(settings.Model, settings.Endpoint, settings.ApiKey ?? "none", httpClient: http);
#pragma warning restore SKEXP0010
        var kernel = builder.Build();
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var execution = new OpenAIPromptExecutionSettings
        {
            Temperature = 0,
            MaxTokens = 2000,
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(Functions, autoInvoke: false),
        };
        var history = History(session.Events);
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var step = 1; step <= hub.MaxSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = new StringBuilder();
            var pending = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
            logger.LogInformation("agent {SessionId}: step {Step}, asking {Model} at {Host}", session.Id, step, settings.Model, settings.Endpoint.Host);
            try
            {
                await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, execution, kernel, cancellationToken).ConfigureAwait(false))
                {
                    if (!string.IsNullOrEmpty(chunk.Content))
                    {
                        text.Append(chunk.Content);
                        session.Emit(AgentEventKind.Text, chunk.Content);
                    }

                    foreach (var update in chunk.Items.OfType<StreamingFunctionCallUpdateContent>())
                    {
                        var entry = pending.TryGetValue(update.FunctionCallIndex, out var e) ? e : (null, null, new StringBuilder());
                        entry.Id ??= update.CallId;
                        entry.Name ??= update.Name;
                        entry.Arguments.Append(update.Arguments);
                        pending[update.FunctionCallIndex] = entry;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or KernelException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var why = e is TaskCanceledException ? $"no answer within {settings.Timeout.TotalSeconds:0} s" : e.Message;
                logger.LogWarning("agent {SessionId}: {Model} at {Host} failed: {Why}", session.Id, settings.Model, settings.Endpoint.Host, why);
                session.Emit(AgentEventKind.Error, $"the model at {settings.Endpoint.Host} did not answer: {why}");
                return;
            }

            if (pending.Count == 0)
            {
                session.Emit(AgentEventKind.Done);
                return;
            }

            var assistant = new ChatMessageContent(AuthorRole.Assistant, text.Length == 0 ? null : text.ToString());
            var ordered = pending.Values.Select((c, i) => (Id: c.Id ?? $"call-{step}-{i}", Name: c.Name ?? "", Arguments: c.Arguments.ToString())).ToList();
            foreach (var call in ordered)
            {
                assistant.Items.Add(new FunctionCallContent(call.Name, null, call.Id, Arguments(call.Arguments)));
            }

            history.Add(assistant);
            var repeated = false;
            foreach (var call in ordered)
            {
                var key = call.Name + "\n" + Canonical(call.Arguments);
                calls[key] = calls.GetValueOrDefault(key) + 1;
                string result;
                if (calls[key] >= RepeatLimit)
                {
                    repeated = true;
                    result = $"refused: {call.Name} was already called {calls[key] - 1} times with these same arguments; nothing was run. Use the results you have.";
                    session.Emit(AgentEventKind.ToolCall, tool: new AgentToolCall(call.Id, call.Name, call.Arguments, call.Name));
                    session.Emit(AgentEventKind.ToolResult, result: new AgentToolResult(call.Id, call.Name, false, result, []));
                }
                else
                {
                    result = (await ToolRunner.RunAsync(session, hub.Services, call.Id, call.Name, call.Arguments, cancellationToken).ConfigureAwait(false)).ForModel;
                }

                history.Add(new FunctionResultContent(call.Name, null, call.Id, result).ToChatMessage());
            }

            if (repeated)
            {
                session.Emit(AgentEventKind.Error, $"stopped: the model repeated the same call {RepeatLimit} times");
                return;
            }
        }

        session.Emit(AgentEventKind.Error, $"stopped after {hub.MaxSteps} steps (the step limit); send a message to go on");
    }

    /// <summary>After a restart: the stored launch call is run again with the human's answer, then the conversation goes on.</summary>
    public async Task ResumeApprovalAsync(AgentApproval approval, ApprovalAnswer answer, CancellationToken cancellationToken)
    {
        var callId = AgentSession.CallOf(approval.ApprovalId);
        var call = session.Events.FirstOrDefault(e => e.Kind == AgentEventKind.ToolCall && e.Tool?.CallId == callId)?.Tool;
        if (call is null)
        {
            session.Emit(AgentEventKind.Error, "the call that asked for this approval is not in the session");
            return;
        }

        var pending = new PendingApproval(approval, callId);
        pending.Answer.TrySetResult(answer);
        session.Pending[approval.ApprovalId] = pending;
        await ToolRunner.RunAsync(session, hub.Services, callId, call.Name, call.Arguments, cancellationToken).ConfigureAwait(false);
        await RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tools as the model sees them (names, descriptions, argument schemas); never invoked by the kernel.</summary>
    private static IEnumerable<KernelFunction> Functions => AgentTools.All.Select(tool => KernelFunctionFactory.CreateFromMethod(
        new Func<string>(() => throw new InvalidOperationException("the intern's tools run through ToolRunner")),
        tool.Name,
        tool.Description,
        tool.Parameters.Select(p => new KernelParameterMetadata(p.Name)
        {
            Description = p.Description,
            IsRequired = p.Required,
            Schema = KernelJsonSchema.Parse(new JObject { ["type"] = p.Type, ["description"] = p.Description }.ToString(Newtonsoft.Json.Formatting.None)),
        })));

    /// <summary>The conversation so far as chat messages, from the session's (redacted) events.</summary>
    internal static ChatHistory History(IReadOnlyList<AgentEvent> events)
    {
        var history = new ChatHistory(SystemPrompt);
        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Flush()
        {
            if (text.Length > 0)
            {
                history.AddAssistantMessage(text.ToString());
                text.Clear();
            }
        }

        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case AgentEventKind.User:
                    Flush();
                    history.AddUserMessage(Secrets.Redact(e.Text ?? ""));
                    break;
                case AgentEventKind.Text when e.Text is not null:
                    text.Append(e.Text);
                    break;
                case AgentEventKind.ToolCall when e.Tool is { } tool && seen.Add(tool.CallId):
                    var message = new ChatMessageContent(AuthorRole.Assistant, text.Length == 0 ? null : text.ToString());
                    text.Clear();
                    message.Items.Add(new FunctionCallContent(tool.Name, null, tool.CallId, Arguments(tool.Arguments)));
                    history.Add(message);
                    break;
                case AgentEventKind.ToolResult when e.Result is { } result:
                    Flush();
                    history.Add(new FunctionResultContent(result.Name, null, result.CallId, AgentTools.Fit(result.Summary)).ToChatMessage());
                    break;
            }
        }

        Flush();
        return history;
    }

    /// <summary>A call's arguments for the history the model sees again (malformed ones as none).</summary>
    private static KernelArguments Arguments(string json)
    {
        var arguments = new KernelArguments();
        try
        {
            if (JToken.Parse(json) is JObject obj)
            {
                foreach (var p in obj.Properties())
                {
                    arguments[p.Name] = p.Value is JValue v ? v.Value : p.Value.ToString(Newtonsoft.Json.Formatting.None);
                }
            }
        }
        catch (Newtonsoft.Json.JsonException)
        {
        }

        return arguments;
    }

    private static string Canonical(string json)
    {
        try
        {
            return JToken.Parse(json) is JObject obj ? new JObject(obj.Properties().OrderBy(p => p.Name, StringComparer.Ordinal)).ToString(Newtonsoft.Json.Formatting.None) : json.Trim();
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return json.Trim();
        }
    }
}
