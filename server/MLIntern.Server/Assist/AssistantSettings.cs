using Newtonsoft.Json.Linq;

namespace MLIntern.Server.Assist;

/// <summary>
/// The LLM assistant's settings, from the editor's `mlintern.assistant` section: an OpenAI-compatible
/// endpoint (OpenAI, a local Ollama or vLLM, …) and a model. The API key is never a setting: it is
/// read from the environment variable the settings name, so it reaches no settings file and no log.
/// </summary>
internal sealed record AssistantSettings(Uri Endpoint, string Model, string? ApiKey, TimeSpan Timeout, int ContextLines)
{
    public const string DefaultKeyVariable = "OPENAI_API_KEY";

    /// <summary>The settings when the assistant is configured (an http(s) endpoint and a model), else null and why.</summary>
    public static AssistantSettings? From(JObject? settings, Func<string, string?> environment, out string? problem)
    {
        problem = null;
        var section = settings?["assistant"] as JObject;
        var endpoint = (string?)section?["endpoint"];
        var model = (string?)section?["model"];
        if (string.IsNullOrWhiteSpace(endpoint) || string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            problem = $"mlintern.assistant.endpoint '{endpoint}' is not an http(s) URL without credentials (e.g. http://localhost:11434/v1)";
            return null;
        }

        var variable = (string?)section?["apiKeyVariable"] is { Length: > 0 } v ? v : DefaultKeyVariable;
        var seconds = section?["timeoutSeconds"]?.Type is JTokenType.Integer or JTokenType.Float ? Math.Clamp((double)section["timeoutSeconds"]!, 1, 600) : 60;
        var lines = section?["contextLines"]?.Type is JTokenType.Integer ? Math.Clamp((int)section["contextLines"]!, 0, 2000) : 80;
        return new AssistantSettings(uri, model.Trim(), environment(variable) is { Length: > 0 } key ? key : null, TimeSpan.FromSeconds(seconds), lines);
    }
}
