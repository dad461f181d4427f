using System.Collections;
using System.Runtime.CompilerServices;

namespace MLIntern.Python.Syntax;

/// <summary>
/// The children of a node in one field (a body, the arguments of a call): a read-only list over an
/// exact-size array (the child itself when there is one), empty without any array. A struct, so a field of one costs 8 bytes and an empty one
/// nothing more; a <see cref="List{T}"/> cost 32 bytes more, and 32 more when empty (1.3M of them in a
/// 1M-line script). Made by the parser from a <see cref="List{T}"/> or an array (implicit conversions);
/// a node's children do not change once it is made.
/// </summary>
[CollectionBuilder(typeof(NodeList), nameof(NodeList.Create))]
public readonly struct NodeList<T> : IReadOnlyList<T>, IList<T>
{
    // Null for no child, the child itself for one (not null), else an exact-size T[]: one child is the
    // common case (an assignment's target, a call's argument), and its array was 32 bytes (760k arrays,
    // 18 MB at 1M lines). An exact type test tells the two apart: a child is never a T[].
    private readonly object? _items;

    public NodeList(T[]? items) => _items = items switch
    {
        null or [] => null,
        [{ } single] => single,
        _ => items,
    };

    public static NodeList<T> Empty => default;

    private T[]? AsArray => _items is not null && _items.GetType() == typeof(T[]) ? Unsafe.As<T[]>(_items) : null;

    public int Count => _items is null ? 0 : _items.GetType() == typeof(T[]) ? Unsafe.As<T[]>(_items).Length : 1;

    public T this[int index] => _items switch
    {
        null => throw new ArgumentOutOfRangeException(nameof(index)),
        _ when _items.GetType() == typeof(T[]) => Unsafe.As<T[]>(_items)[index],
        _ => index == 0 ? (T)_items : throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>The children as a span, empty for none (one child is copied into an array of one).</summary>
    public ReadOnlySpan<T> AsSpan() => _items is null ? default : AsArray ?? [(T)_items];

    public bool Contains(T item) => IndexOf(item) >= 0;

    public int IndexOf(T item)
    {
        for (var i = 0; i < Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(this[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The index of the first child that matches, or -1.</summary>
    public int FindIndex(Predicate<T> match)
    {
        for (var i = 0; i < Count; i++)
        {
            if (match(this[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static implicit operator NodeList<T>(List<T> list) => list.Count switch
    {
        0 => default,
        1 when list[0] is not null => new(list[0]!),
        _ => new(list.ToArray()),
    };

    public static implicit operator NodeList<T>(T[] items) => new(items);

    private NodeList(object single) => _items = single;

    public Enumerator GetEnumerator() => new(this);

    // IList<T> (read-only) so that LINQ's fast paths (Count(), ElementAt, Last, ToArray, ToList) index the list
    // instead of walking it; nothing can change the children through it.
    bool ICollection<T>.IsReadOnly => true;

    T IList<T>.this[int index]
    {
        get => this[index];
        set => throw new NotSupportedException("a node's children do not change");
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        for (var i = 0; i < Count; i++)
        {
            array[arrayIndex + i] = this[i];
        }
    }

    void IList<T>.Insert(int index, T item) => throw new NotSupportedException("a node's children do not change");

    void IList<T>.RemoveAt(int index) => throw new NotSupportedException("a node's children do not change");

    void ICollection<T>.Add(T item) => throw new NotSupportedException("a node's children do not change");

    void ICollection<T>.Clear() => throw new NotSupportedException("a node's children do not change");

    bool ICollection<T>.Remove(T item) => throw new NotSupportedException("a node's children do not change");

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(AsArray ?? AsSpan().ToArray())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    /// <summary>Walks the children without allocating.</summary>
    public struct Enumerator
    {
        private readonly NodeList<T> _list;
        private readonly int _count;
        private int _index;

        internal Enumerator(NodeList<T> list)
        {
            _list = list;
            _count = list.Count;
            _index = -1;
        }

        public readonly T Current => _list[_index];

        public bool MoveNext() => ++_index < _count;
    }
}

/// <summary>Makes <see cref="NodeList{T}"/>s from collection expressions (<c>[a, b]</c>).</summary>
public static class NodeList
{
    public static NodeList<T> Create<T>(ReadOnlySpan<T> items) => new(items.IsEmpty ? null : items.ToArray());
}
