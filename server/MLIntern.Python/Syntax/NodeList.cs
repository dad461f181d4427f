using System.Collections;
using System.Runtime.CompilerServices;

namespace MLIntern.Python.Syntax;

/// <summary>
/// The children of a node in one field (a body, the arguments of a call): a read-only list over an
/// exact-size array, empty without any array. A struct, so a field of one costs 8 bytes and an empty one
/// nothing more; a <see cref="List{T}"/> cost 32 bytes more, and 32 more when empty (1.3M of them in a
/// 1M-line script). Made by the parser from a <see cref="List{T}"/> or an array (implicit conversions);
/// a node's children do not change once it is made.
/// </summary>
[CollectionBuilder(typeof(NodeList), nameof(NodeList.Create))]
public readonly struct NodeList<T> : IReadOnlyList<T>, IList<T>
{
    private readonly T[]? _items;

    public NodeList(T[]? items) => _items = items is { Length: > 0 } ? items : null;

    public static NodeList<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public T this[int index] => _items is { } items ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The children as a span, empty for none.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Contains(T item) => IndexOf(item) >= 0;

    public int IndexOf(T item) => _items is null ? -1 : Array.IndexOf(_items, item);

    /// <summary>The index of the first child that matches, or -1.</summary>
    public int FindIndex(Predicate<T> match) => _items is null ? -1 : Array.FindIndex(_items, match);

    public static implicit operator NodeList<T>(List<T> list) => new(list.Count == 0 ? null : [.. list]);

    public static implicit operator NodeList<T>(T[] items) => new(items);

    public Enumerator GetEnumerator() => new(_items);

    // IList<T> (read-only) so that LINQ's fast paths (Count(), ElementAt, Last, ToArray, ToList) index the array
    // instead of walking it; nothing can change the children through it.
    bool ICollection<T>.IsReadOnly => true;

    T IList<T>.this[int index]
    {
        get => this[index];
        set => throw new NotSupportedException("a node's children do not change");
    }

    public void CopyTo(T[] array, int arrayIndex) => _items?.CopyTo(array, arrayIndex);

    void IList<T>.Insert(int index, T item) => throw new NotSupportedException("a node's children do not change");

    void IList<T>.RemoveAt(int index) => throw new NotSupportedException("a node's children do not change");

    void ICollection<T>.Add(T item) => throw new NotSupportedException("a node's children do not change");

    void ICollection<T>.Clear() => throw new NotSupportedException("a node's children do not change");

    bool ICollection<T>.Remove(T item) => throw new NotSupportedException("a node's children do not change");

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    /// <summary>Walks the children without allocating.</summary>
    public struct Enumerator
    {
        private readonly T[]? _items;
        private int _index;

        internal Enumerator(T[]? items)
        {
            _items = items;
            _index = -1;
        }

        public readonly T Current => _items![_index];

        public bool MoveNext() => _items is not null && ++_index < _items.Length;
    }
}

/// <summary>Makes <see cref="NodeList{T}"/>s from collection expressions (<c>[a, b]</c>).</summary>
public static class NodeList
{
    public static NodeList<T> Create<T>(ReadOnlySpan<T> items) => new(items.IsEmpty ? null : items.ToArray());
}
