using System.Collections;
using System.Reflection;
using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace MLIntern.Server.Protocol;

/// <summary>A JSON value's shape, as the protocol's serializer writes it.</summary>
internal abstract record Shape;

/// <summary>string, number, integer, boolean, or any JSON (unknown).</summary>
internal sealed record PrimitiveShape(string Json) : Shape
{
    public static readonly PrimitiveShape String = new("string"), Number = new("number"), Integer = new("integer"), Boolean = new("boolean"), Any = new("unknown");
}

internal sealed record ArrayShape(Shape Item) : Shape;

/// <summary>An object with string keys chosen by the data (a dictionary).</summary>
internal sealed record MapShape(Shape Value) : Shape;

/// <summary>A named definition: an object or an enum.</summary>
internal sealed record NamedShape(string Name) : Shape;

/// <summary>One property: optional when it may be left out (null values are not written), nullable when it is written as null.</summary>
internal sealed record FieldShape(string Name, Shape Shape, bool Optional, bool Nullable);

internal abstract record Definition(string Name, Type Type);

internal sealed record ObjectDefinition(string Name, Type Type, IReadOnlyList<FieldShape> Fields) : Definition(Name, Type);

internal sealed record EnumDefinition(string Name, Type Type, IReadOnlyList<string> Values) : Definition(Name, Type);

/// <summary>
/// The shapes of the protocol's records, read by reflection through the protocol's own serializer
/// configuration (<see cref="ProtocolJson"/>): property names as written, enums as written, and
/// optionality from C# nullable annotations. The generators (TypeScript, JSON Schema, docs) write
/// from these, so what they say is what goes on the wire.
/// </summary>
internal sealed class ProtocolShapes
{
    private static readonly IContractResolver Resolver = ProtocolJson.Settings.ContractResolver!;
    private static readonly NamingStrategy EnumNames = new CamelCaseNamingStrategy();

    private readonly NullabilityInfoContext _nullability = new();
    private readonly Dictionary<Type, Definition> _definitions = [];
    private readonly Dictionary<string, Type> _names = new(StringComparer.Ordinal);
    private readonly HashSet<Type> _inputs = [];
    private readonly List<string> _problems = [];
    private readonly IReadOnlySet<string> _namespaces;

    private ProtocolShapes(IReadOnlySet<string> namespaces) => _namespaces = namespaces;

    /// <summary>Where protocol records live: a type from anywhere else (a core record) is a problem.</summary>
    public static IReadOnlySet<string> ProtocolNamespaces { get; } = new HashSet<string>(StringComparer.Ordinal) { "MLIntern.Server.Protocol", "MLIntern.Server.Lsp.Protocol" };

    /// <summary>Every definition reachable from the contract, by name.</summary>
    public IReadOnlyList<Definition> Definitions => [.. _definitions.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    /// <summary>Types the shapes cannot express faithfully (JObject in a result, a name used twice, a type outside the protocol's namespaces).</summary>
    public IReadOnlyList<string> Problems => _problems;

    public static ProtocolShapes Of(IEnumerable<RequestContract> requests, IEnumerable<NotificationContract> notifications, IReadOnlySet<string>? namespaces = null)
    {
        var shapes = new ProtocolShapes(namespaces ?? ProtocolNamespaces);
        // What the sidecar writes first: a type that is also in what a client sends (an LSP range) keeps
        // its value-type fields required; only a type clients alone send may leave them out.
        foreach (var request in requests)
        {
            shapes.Root(request.Result, input: false);
        }

        foreach (var notification in notifications.Where(n => n.FromServer))
        {
            shapes.Root(notification.Params, input: false);
        }

        foreach (var request in requests)
        {
            shapes.Root(request.Params, input: true);
        }

        foreach (var notification in notifications.Where(n => !n.FromServer))
        {
            shapes.Root(notification.Params, input: true);
        }

        return shapes;
    }

    /// <summary>The shape of a root type (params, result, notification payload).</summary>
    public Shape ShapeOf(Type type) => Describe(type, null, input: false);

    private void Root(Type type, bool input) => Describe(type, null, input);

    private Shape Describe(Type type, NullabilityInfo? nullability, bool input)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(char) || type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(TimeSpan) || type == typeof(Uri))
        {
            return PrimitiveShape.String;
        }

        if (type == typeof(bool))
        {
            return PrimitiveShape.Boolean;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(uint) || type == typeof(ulong))
        {
            return PrimitiveShape.Integer;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return PrimitiveShape.Number;
        }

        if (type == typeof(object) || typeof(JToken).IsAssignableFrom(type))
        {
            return PrimitiveShape.Any;
        }

        if (type.IsEnum)
        {
            return Define(type, () => new EnumDefinition(type.Name, type, [.. type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(EnumValue)]));
        }

        if (DictionaryValue(type) is { } valueType)
        {
            return new MapShape(Describe(valueType, nullability?.GenericTypeArguments.LastOrDefault(), input));
        }

        if (ElementType(type) is { } itemType)
        {
            return new ArrayShape(Describe(itemType, nullability?.ElementType ?? nullability?.GenericTypeArguments.FirstOrDefault(), input));
        }

        if (input)
        {
            _inputs.Add(type);
        }

        return Define(type, () => DescribeObject(type, input));
    }

    private NamedShape Define(Type type, Func<Definition> describe)
    {
        var name = type.Name;
        if (_names.TryGetValue(name, out var existing) && existing != type)
        {
            _problems.Add($"two protocol types are called {name}: {existing.FullName} and {type.FullName}");
        }

        if (!_definitions.ContainsKey(type))
        {
            _names[name] = type;
            if (!_namespaces.Contains(type.Namespace ?? ""))
            {
                _problems.Add($"{type.FullName} is not a protocol record (MLIntern.Server.Protocol): map the core type by hand");
            }

            _definitions[type] = new ObjectDefinition(name, type, []); // a placeholder while its fields are read (recursive types)
            _definitions[type] = describe();
        }

        return new NamedShape(name);
    }

    private ObjectDefinition DescribeObject(Type type, bool input)
    {
        if (Resolver.ResolveContract(type) is not JsonObjectContract contract)
        {
            _problems.Add($"{type.FullName} does not serialize as a JSON object");
            return new ObjectDefinition(type.Name, type, []);
        }

        var fields = new List<FieldShape>();
        foreach (var property in contract.Properties.Where(p => !p.Ignored && p.Readable))
        {
            var member = property.DeclaringType?.GetProperty(property.UnderlyingName!, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
            var info = member is null ? null : _nullability.Create(member);
            var propertyType = property.PropertyType!;
            var nullable = Nullable.GetUnderlyingType(propertyType) is not null || (!propertyType.IsValueType && info?.ReadState == NullabilityState.Nullable);
            var writesNull = nullable && (property.NullValueHandling ?? ProtocolJson.Settings.NullValueHandling) == NullValueHandling.Include;
            // In what a client sends, a plain value-type property may be left out: it takes its default.
            var optional = (nullable && !writesNull) || (input && propertyType.IsValueType);
            fields.Add(new FieldShape(property.PropertyName!, Describe(propertyType, info, input), optional, writesNull));
        }

        return new ObjectDefinition(type.Name, type, fields);
    }

    private static string EnumValue(FieldInfo field) =>
        field.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? EnumNames.GetPropertyName(field.Name, false);

    private static Type? DictionaryValue(Type type)
    {
        foreach (var candidate in type.GetInterfaces().Append(type))
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
                && candidate.GetGenericArguments()[0] == typeof(string))
            {
                return candidate.GetGenericArguments()[1];
            }
        }

        return null;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        return type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }
}
