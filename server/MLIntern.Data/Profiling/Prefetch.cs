using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace MLIntern.Data.Profiling;

/// <summary>
/// A hint to start loading a memory location into the cache before it is needed, so that the
/// cache misses of a batch's hash-table probes overlap instead of following one another.
/// Changes no value; a no-op where the instruction does not exist.
/// </summary>
internal static class Prefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }
}
