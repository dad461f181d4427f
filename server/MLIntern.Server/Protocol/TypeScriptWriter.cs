using System.Text;

namespace MLIntern.Server.Protocol;

/// <summary>extension/src/protocol.ts: the method names, the params and result of each, and an interface or union per record.</summary>
internal static partial class ProtocolFiles
{
    public static string TypeScript(ProtocolShapes shapes, IReadOnlyList<RequestContract> requests, IReadOnlyList<NotificationContract> notifications)
    {
        var ts = new StringBuilder();
        ts.Append("// ").Append(Header).Append('\n');
        ts.Append("/* eslint-disable */\n\n");
        ts.Append("/** The sidecar's `mlintern/*` requests, by short name. */\n");
        ts.Append("export const Methods = {\n");
        foreach (var request in requests)
        {
            ts.Append("  ").Append(Key(request.Method)).Append(": '").Append(request.Method).Append("',\n");
        }

        ts.Append("} as const;\n\n");
        ts.Append("/** The `mlintern/*` notifications, by short name. */\n");
        ts.Append("export const Notifications = {\n");
        foreach (var notification in notifications)
        {
            ts.Append("  ").Append(Key(notification.Method)).Append(": '").Append(notification.Method).Append("',\n");
        }

        ts.Append("} as const;\n\n");
        ts.Append("/** What an error's `data.reason` says, for a client to decide on (never on the message's text). */\n");
        ts.Append("export type ErrorReason = ").Append(Union(ErrorReasons.All)).Append(";\n\n");
        ts.Append("export const ErrorReasons = {\n");
        foreach (var reason in ErrorReasons.All)
        {
            ts.Append("  ").Append(reason).Append(": '").Append(reason).Append("',\n");
        }

        ts.Append("} as const;\n\n");
        ts.Append("/** Each request's params and result. */\n");
        ts.Append("export interface Requests {\n");
        foreach (var request in requests)
        {
            ts.Append("  /** ").Append(Comment(request.Summary)).Append(" */\n");
            ts.Append("  '").Append(request.Method).Append("': { params: ").Append(Ts(shapes.ShapeOf(request.Params))).Append("; result: ").Append(Ts(shapes.ShapeOf(request.Result))).Append(" };\n");
        }

        ts.Append("}\n\n");
        ts.Append("/** Each notification's params. */\n");
        ts.Append("export interface NotificationParams {\n");
        foreach (var notification in notifications)
        {
            ts.Append("  /** ").Append(Comment(notification.Summary)).Append(" */\n");
            ts.Append("  '").Append(notification.Method).Append("': ").Append(Ts(shapes.ShapeOf(notification.Params))).Append(";\n");
        }

        ts.Append("}\n\n");
        ts.Append("export type Method = keyof Requests;\n");
        ts.Append("export type ParamsOf<M extends Method> = Requests[M]['params'];\n");
        ts.Append("export type ResultOf<M extends Method> = Requests[M]['result'];\n");
        foreach (var definition in shapes.Definitions)
        {
            ts.Append('\n');
            switch (definition)
            {
                case EnumDefinition e:
                    ts.Append("export type ").Append(e.Name).Append(" = ").Append(Union(e.Values)).Append(";\n");
                    break;
                case ObjectDefinition o:
                    ts.Append("export interface ").Append(o.Name).Append(" {\n");
                    foreach (var field in o.Fields)
                    {
                        ts.Append("  ").Append(field.Name).Append(field.Optional ? "?: " : ": ").Append(Ts(field.Shape)).Append(field.Nullable ? " | null" : "").Append(";\n");
                    }

                    ts.Append("}\n");
                    break;
            }
        }

        return ts.ToString();
    }

    private static string Union(IEnumerable<string> values)
    {
        var list = values.Select(v => "'" + v + "'").ToList();
        return list.Count == 0 ? "never" : string.Join(" | ", list);
    }

    private static string Comment(string text) => text.Replace("*/", "* /", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Ts(Shape shape) => shape switch
    {
        PrimitiveShape p => p.Json is "integer" ? "number" : p.Json,
        ArrayShape a => Ts(a.Item) + "[]",
        MapShape m => "Record<string, " + Ts(m.Value) + ">",
        NamedShape n => n.Name,
        _ => "unknown",
    };
}
