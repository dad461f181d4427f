using System.Globalization;
using System.Numerics;
using System.Text;
using MLIntern.Python.Syntax;

namespace MLIntern.Python.Semantics;

/// <summary>A tuple value from literal evaluation.</summary>
public sealed record LiteralTuple(IReadOnlyList<object?> Items);

/// <summary>A list value from literal evaluation.</summary>
public sealed record LiteralList(IReadOnlyList<object?> Items);

/// <summary>A set value from literal evaluation (items in source order).</summary>
public sealed record LiteralSet(IReadOnlyList<object?> Items);

/// <summary>A dict value from literal evaluation (entries in source order, later keys not merged).</summary>
public sealed record LiteralDict(IReadOnlyList<KeyValuePair<object?, object?>> Entries)
{
    /// <summary>The value of the last entry whose key equals <paramref name="key"/>.</summary>
    public bool TryGetValue(object? key, out object? value)
    {
        for (int i = Entries.Count - 1; i >= 0; i--)
        {
            if (Literals.ValueEquals(Entries[i].Key, key))
            {
                value = Entries[i].Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}

/// <summary>
/// Evaluates constant expressions: strings, bytes, numbers, bool, None, `...`, tuples, lists,
/// sets and dicts of constants, unary +/-/not, string and number `+`, and f-strings whose
/// parts are constant. Values: string, byte[], long, BigInteger, double, Complex, bool, null
/// (None), <see cref="EllipsisValue"/>, and the Literal* records.
/// </summary>
public static class Literals
{
    private const int MaxDepth = 64;

    /// <summary>Evaluates <paramref name="expr"/>; <paramref name="resolveName"/>, if given, supplies the value expression of a name.</summary>
    public static bool TryEvaluate(Expr expr, out object? value, Func<Name, Expr?>? resolveName = null)
        => TryEvaluate(expr, out value, resolveName, 0);

    private static bool TryEvaluate(Expr expr, out object? value, Func<Name, Expr?>? resolve, int depth)
    {
        value = null;
        if (depth > MaxDepth)
        {
            return false;
        }

        switch (expr)
        {
            case Constant c:
                value = c.Value;
                return true;
            case Name n when resolve is not null:
            {
                var target = resolve(n);
                return target is not null && !ReferenceEquals(target, n) && TryEvaluate(target, out value, resolve, depth + 1);
            }

            case TupleExpr t:
                return Items(t.Elts, resolve, depth, out var ti) && Set(out value, new LiteralTuple(ti!));
            case List l:
                return Items(l.Elts, resolve, depth, out var li) && Set(out value, new LiteralList(li!));
            case Syntax.Set s:
                return Items(s.Elts, resolve, depth, out var si) && Set(out value, new LiteralSet(si!));
            case Dict d:
            {
                var entries = new List<KeyValuePair<object?, object?>>(d.Keys.Count);
                for (int i = 0; i < d.Keys.Count; i++)
                {
                    if (!TryEvaluate(d.Values[i], out var v, resolve, depth + 1))
                    {
                        return false;
                    }

                    if (d.Keys[i] is null)
                    {
                        // `**other` inside a dict display: merge it if it is constant.
                        if (v is LiteralDict inner)
                        {
                            entries.AddRange(inner.Entries);
                            continue;
                        }

                        return false;
                    }

                    if (!TryEvaluate(d.Keys[i]!, out var k, resolve, depth + 1))
                    {
                        return false;
                    }

                    entries.Add(new KeyValuePair<object?, object?>(k, v));
                }

                value = new LiteralDict(entries);
                return true;
            }

            case UnaryOp u:
            {
                if (!TryEvaluate(u.Operand, out var o, resolve, depth + 1))
                {
                    return false;
                }

                switch (u.Op)
                {
                    case UnaryOperator.Not when o is bool b:
                        value = !b;
                        return true;
                    case UnaryOperator.USub:
                        value = o switch { long x when x != long.MinValue => -x, BigInteger x => -x, double x => -x, Complex x => -x, _ => null };
                        return value is not null;
                    case UnaryOperator.UAdd:
                        value = o is long or BigInteger or double or Complex ? o : null;
                        return value is not null;
                }

                return false;
            }

            case BinOp { Op: Operator.Add } b:
            {
                if (!TryEvaluate(b.Left, out var l, resolve, depth + 1) || !TryEvaluate(b.Right, out var r, resolve, depth + 1))
                {
                    return false;
                }

                value = (l, r) switch
                {
                    (string x, string y) => x + y,
                    (long x, long y) => (BigInteger)x + y is var s && s >= long.MinValue && s <= long.MaxValue ? (long)s : s,
                    (double x, double y) => x + y,
                    (long x, double y) => x + y,
                    (double x, long y) => x + y,
                    _ => null,
                };
                return value is not null;
            }

            case JoinedStr j:
            {
                var sb = new StringBuilder();
                foreach (var part in j.Values)
                {
                    if (part is Constant { Value: string s })
                    {
                        sb.Append(s);
                    }
                    else if (part is FormattedValue { FormatSpec: null, Conversion: -1 or 's' } fv && TryEvaluate(fv.Value, out var pv, resolve, depth + 1) && ToStr(pv) is { } text)
                    {
                        sb.Append(text);
                    }
                    else
                    {
                        return false;
                    }
                }

                value = sb.ToString();
                return true;
            }
        }

        return false;
    }

    private static bool Set(out object? value, object v)
    {
        value = v;
        return true;
    }

    private static bool Items(NodeList<Expr> elts, Func<Name, Expr?>? resolve, int depth, out List<object?>? items)
    {
        items = new List<object?>(elts.Count);
        foreach (var e in elts)
        {
            if (e is Starred || !TryEvaluate(e, out var v, resolve, depth + 1))
            {
                items = null;
                return false;
            }

            items.Add(v);
        }

        return true;
    }

    /// <summary>Python's str() of simple constants (no floats: their repr is not worth guessing here).</summary>
    private static string? ToStr(object? v) => v switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        null => "None",
        _ => null,
    };

    /// <summary>Python equality for evaluated constants (1 == 1.0 == True is not modelled: same type only).</summary>
    public static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (LiteralTuple x, LiteralTuple y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => ValueEquals(p.First, p.Second)),
        _ => Equals(a, b),
    };
}
