using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLIntern.Server.Mcp;

internal enum ParameterType
{
    String,

    /// <summary>A string naming a file or folder; it must resolve inside the workspace.</summary>
    Path,
    Integer,
    Number,
    Boolean,
}

/// <summary>One argument a tool takes: the one description its input schema and its validation are both made from.</summary>
internal sealed record ToolParameter(string Name, ParameterType Type, string Description, bool Required = false, IReadOnlyList<string>? OneOf = null, double? Minimum = null, double? Maximum = null)
{
    /// <summary>No string argument is longer: a path, a column name, a rule code or a checkpoint name is short.</summary>
    public const int MaxStringLength = 4096;

    /// <summary>The JSON Schema of a tool's arguments: an object with exactly these properties, nothing else.</summary>
    public static JsonElement Schema(IReadOnlyList<ToolParameter> parameters)
    {
        var properties = new JsonObject();
        foreach (var p in parameters)
        {
            var property = new JsonObject
            {
                ["type"] = p.Type switch
                {
                    ParameterType.Integer => "integer",
                    ParameterType.Number => "number",
                    ParameterType.Boolean => "boolean",
                    _ => "string",
                },
                ["description"] = p.Description,
            };
            if (p.Type is ParameterType.String or ParameterType.Path)
            {
                property["minLength"] = 1;
                property["maxLength"] = MaxStringLength;
            }

            if (p.OneOf is { } values)
            {
                property["enum"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
            }

            if (p.Minimum is { } min)
            {
                property["minimum"] = min;
            }

            if (p.Maximum is { } max)
            {
                property["maximum"] = max;
            }

            properties[p.Name] = property;
        }

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        var required = parameters.Where(p => p.Required).Select(p => (JsonNode)JsonValue.Create(p.Name)).ToArray();
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray(required);
        }

        return JsonSerializer.SerializeToElement(schema);
    }
}

/// <summary>
/// A tool call's arguments, checked against the tool's parameters before the tool runs: an unknown name,
/// a value of the wrong type or out of range, a missing required one, or a path outside the workspace is
/// a <see cref="ToolError"/> naming it. Nothing is coerced ("3" is not 3).
/// </summary>
internal sealed class ToolArguments
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public ToolArguments(IReadOnlyList<ToolParameter> parameters, IDictionary<string, JsonElement>? arguments, WorkspaceRoot workspace)
    {
        var known = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (!known.TryGetValue(name, out var parameter))
            {
                var expected = parameters.Count == 0 ? "none" : string.Join(", ", parameters.Select(p => p.Name));
                throw new ToolError($"unknown argument '{Shown(name)}' (this tool takes: {expected})");
            }

            if (value.ValueKind == JsonValueKind.Null && !parameter.Required)
            {
                continue;
            }

            _values[name] = Read(parameter, value, workspace);
        }

        foreach (var parameter in parameters.Where(p => p.Required && !_values.ContainsKey(p.Name)))
        {
            throw new ToolError($"missing argument '{parameter.Name}': {parameter.Description}");
        }
    }

    public string? String(string name) => _values.TryGetValue(name, out var v) ? (string)v : null;

    public long? Integer(string name) => _values.TryGetValue(name, out var v) ? (long)v : null;

    public double? Number(string name) => _values.TryGetValue(name, out var v) ? (double)v : null;

    public bool? Boolean(string name) => _values.TryGetValue(name, out var v) ? (bool)v : null;

    private static object Read(ToolParameter parameter, JsonElement value, WorkspaceRoot workspace)
    {
        switch (parameter.Type)
        {
            case ParameterType.String or ParameterType.Path:
                if (value.ValueKind != JsonValueKind.String)
                {
                    throw Wrong(parameter, "a string");
                }

                var text = value.GetString()!;
                if (text.Length == 0 || text.Length > ToolParameter.MaxStringLength)
                {
                    throw new ToolError($"'{parameter.Name}' must be 1 to {ToolParameter.MaxStringLength} characters");
                }

                if (parameter.OneOf is { } values && !values.Contains(text, StringComparer.Ordinal))
                {
                    throw new ToolError($"'{parameter.Name}' must be one of: {string.Join(", ", values)}");
                }

                return parameter.Type == ParameterType.Path ? workspace.Resolve(text, parameter.Name) : text;
            case ParameterType.Boolean:
                return value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Wrong(parameter, "true or false"),
                };
            case ParameterType.Integer:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var integer))
                {
                    throw Wrong(parameter, "an integer");
                }

                CheckRange(parameter, integer);
                return integer;
            default:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw Wrong(parameter, "a number");
                }

                CheckRange(parameter, number);
                return number;
        }
    }

    private static void CheckRange(ToolParameter parameter, double value)
    {
        if (value < parameter.Minimum || value > parameter.Maximum)
        {
            var low = parameter.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-∞";
            var high = parameter.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞";
            throw new ToolError($"'{parameter.Name}' must be between {low} and {high}");
        }
    }

    private static ToolError Wrong(ToolParameter parameter, string expected) => new($"'{parameter.Name}' must be {expected}");

    /// <summary>A name the client made up, shown at most 64 characters long.</summary>
    private static string Shown(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
