using MLIntern.Analysis.Facts;
using MLIntern.Python.Syntax;

namespace MLIntern.Analysis.Knowledge;

/// <summary>
/// What an expression is known to hold, as <see cref="ValueFlow"/> finds it by following the code.
/// <see cref="Unknown"/> is a real answer: a rule that gets it says nothing. Every known value keeps
/// the node it came from (<see cref="Origin"/>), the evidence a message can quote.
/// </summary>
public abstract record Value(Node? Origin)
{
    public static readonly Value Unknown = new UnknownValue();

    public bool IsUnknown => this is UnknownValue;
}

/// <summary>Nothing is known.</summary>
public sealed record UnknownValue() : Value((Node?)null);

/// <summary>A constant: long, double, string, bool or null (Python's None).</summary>
public sealed record ScalarValue(object? Constant, Node Origin) : Value(Origin);

public enum CollectionKind
{
    List,
    Tuple,
    Set,
    Dict,

    /// <summary>An array, a Series, a data set column: ordered, indexable.</summary>
    Array,
}

/// <summary>
/// A collection: its items when each is known (they may be <see cref="Value.Unknown"/>), else only its
/// size. <see cref="Ordered"/> is false when iterating it gives an order that can change between runs
/// (a set, or anything made by iterating one); <see cref="Distinct"/> when its items are known to differ.
/// A dict's <see cref="Items"/> are its keys and <see cref="DictValues"/> its values.
/// </summary>
public sealed record CollectionValue(
    CollectionKind Kind,
    IReadOnlyList<Value>? Items,
    long? Count,
    bool Ordered,
    bool Distinct,
    Node Origin,
    string? Evidence = null,
    IReadOnlyList<Value>? DictValues = null) : Value(Origin)
{
    /// <summary>The number of distinct items when that is known.</summary>
    public long? DistinctCount
    {
        get
        {
            if (Distinct && Count is { } n)
            {
                return n;
            }

            if (Items is null || Items.Any(i => i is not ScalarValue))
            {
                return null;
            }

            return Items.Cast<ScalarValue>().Select(s => s.Constant).Distinct().LongCount();
        }
    }
}

/// <summary>
/// A column of a data set the script loads (`df["intent"]`, `ds["train"]["label"]`), with what the
/// host knows about the data set. <see cref="IsLabelColumn"/> when it is the data set's label column.
/// </summary>
public sealed record ColumnValue(DatasetInfo Dataset, string DatasetPath, string Column, Node Origin) : Value(Origin)
{
    public bool IsLabelColumn => string.Equals(Dataset.LabelColumn, Column, StringComparison.Ordinal);

    /// <summary>"tickets.csv has 16 classes in column `intent`".</summary>
    public string ClassCountEvidence => $"{Display(DatasetPath)} has {Dataset.ClassCount} classes in column `{Column}`";

    private static string Display(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
}

/// <summary>
/// An object made by a call: a library class by its canonical name (<see cref="Api"/>), or a class of
/// this file (<see cref="Local"/>). <see cref="Construction"/> is the call that made it, when known.
/// </summary>
public sealed record InstanceValue(string Class, Call? Construction, ClassDef? Local, Node Origin) : Value(Origin)
{
    /// <summary>For an `argparse` namespace or an HfArgumentParser: the parser's binding statement or call.</summary>
    public Node? Parser { get; init; }

    /// <summary>For an HfArgumentParser: the dataclasses it parses into, in order.</summary>
    public IReadOnlyList<Expr>? DataClasses { get; init; }
}
