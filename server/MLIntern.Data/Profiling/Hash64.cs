using System.Buffers.Binary;
using System.Numerics;

namespace MLIntern.Data.Profiling;

/// <summary>
/// A fast, seedless 64-bit hash of bytes (8-byte multiply-rotate rounds and a Murmur3 finaliser).
/// Deterministic across runs and machines, unlike <see cref="HashCode"/>, so samples and sketches
/// give the same answer twice.
/// </summary>
public static class Hash64
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;

    public static ulong Of(ReadOnlySpan<byte> data)
    {
        var h = P2 ^ ((ulong)data.Length * P1);
        while (data.Length >= 8)
        {
            h ^= BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(data) * P1, 31) * P2;
            h = BitOperations.RotateLeft(h, 27) * P1 + 0x52DCE729;
            data = data[8..];
        }

        if (!data.IsEmpty)
        {
            ulong tail = 0;
            for (var i = 0; i < data.Length; i++)
            {
                tail |= (ulong)data[i] << (8 * i);
            }

            h ^= BitOperations.RotateLeft(tail * P1, 31) * P2;
        }

        return Mix(h);
    }

    public static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a * P1 ^ BitOperations.RotateLeft(b, 29) + P2);
}
