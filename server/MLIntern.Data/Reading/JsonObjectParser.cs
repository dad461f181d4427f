using System.Text;
using System.Text.Json;

namespace MLIntern.Data.Reading;

/// <summary>
/// Turns one JSON object (a JSON Lines line or an element of a JSON array) into a <see cref="Record"/>,
/// mapping keys to column indexes. Keys are matched against the previous record's order first,
/// which needs no allocation for the usual file where every object has the same keys.
/// </summary>
internal sealed class JsonObjectParser
{
    public const int MaxColumns = 4096;
    public const int MaxDepth = 64;

    private readonly List<string> _columns = [];
    private readonly List<byte[]> _utf8 = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private int[] _lastOrder = new int[16];

    public IReadOnlyList<string> Columns => _columns;

    public static JsonReaderOptions Options => new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = true, MaxDepth = MaxDepth };

    /// <summary>Reads the object the reader is positioned on (its StartObject token) into the record. Throws JsonException on broken JSON.</summary>
    public void ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, Record record)
    {
        record.Clear();
        var position = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var column = ColumnOf(ref reader, position++);
            if (!reader.Read())
            {
                throw new JsonException("the object is incomplete");
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    if (column < 0)
                    {
                        break;
                    }

                    if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                    {
                        record.Set(column, reader.ValueSpan, ValueKind.Text);
                    }
                    else
                    {
                        var target = record.Begin(column, reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length);
                        record.Commit(column, reader.CopyString(target), ValueKind.Text);
                    }

                    break;
                case JsonTokenType.Number:
                    if (column >= 0)
                    {
                        record.Set(column, reader.ValueSpan, ValueKind.Number);
                    }

                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    if (column >= 0)
                    {
                        record.Set(column, reader.TokenType == JsonTokenType.True ? "true"u8 : "false"u8, ValueKind.Boolean);
                    }

                    break;
                case JsonTokenType.Null:
                    if (column >= 0)
                    {
                        record.SetMissing(column);
                    }

                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        throw new JsonException("the value is incomplete");
                    }

                    if (column >= 0)
                    {
                        var end = (int)Math.Min(reader.BytesConsumed, source.Length);
                        record.Set(column, source[start..end], ValueKind.Nested);
                    }

                    break;
                default:
                    throw new JsonException($"unexpected {reader.TokenType}");
            }
        }

        throw new JsonException("the object is incomplete");
    }

    private int ColumnOf(ref Utf8JsonReader reader, int position)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            throw new JsonException("expected a property name");
        }

        if (position < _lastOrder.Length)
        {
            var guess = _lastOrder[position];
            if (guess < _utf8.Count && reader.ValueTextEquals(_utf8[guess]))
            {
                return guess;
            }
        }

        var name = reader.GetString() ?? "";
        if (!_index.TryGetValue(name, out var column))
        {
            if (_columns.Count >= MaxColumns)
            {
                return -1;
            }

            column = _columns.Count;
            _columns.Add(name);
            _utf8.Add(Encoding.UTF8.GetBytes(name));
            _index[name] = column;
        }

        if (position >= _lastOrder.Length && position < MaxColumns)
        {
            Array.Resize(ref _lastOrder, Math.Min(MaxColumns, Math.Max(position + 1, _lastOrder.Length * 2)));
        }

        if (position < _lastOrder.Length)
        {
            _lastOrder[position] = column;
        }

        return column;
    }

    /// <summary>The reader's message without its own position (the finding carries ours).</summary>
    public static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    public static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "value",
    };
}
