using System.Text;
using MLIntern.Data.Profiling;

namespace MLIntern.Data.Tests;

/// <summary>The counting structures under the profile: exact while they can be, estimates past that, and the hash they share.</summary>
public sealed class SketchTests
{
    [Fact]
    public void Distinct_counter_is_exact_up_to_its_limit_then_estimates_and_keeps_counting_the_first_values()
    {
        var counter = new DistinctCounter();
        for (ulong v = 1; v <= DistinctCounter.ExactLimit; v++)
        {
            Assert.True(counter.Add(Hash64.Mix(v)));
        }

        Assert.False(counter.Add(Hash64.Mix(7)));
        Assert.True(counter.IsExact);
        Assert.Equal(DistinctCounter.ExactLimit, counter.Count);
        Assert.Equal(2, counter.CountOf(Hash64.Mix(7)));
        Assert.Equal(0, counter.CountOf(Hash64.Mix(ulong.MaxValue)));

        const int total = 200_000;
        for (ulong v = DistinctCounter.ExactLimit + 1; v <= total; v++)
        {
            counter.Add(Hash64.Mix(v));
            counter.Add(Hash64.Mix(7));
        }

        Assert.False(counter.IsExact);
        Assert.InRange(counter.Count, total * 0.97, total * 1.03);
        Assert.Equal(2 + total - DistinctCounter.ExactLimit, counter.CountOf(Hash64.Mix(7)));
        Assert.Equal(0, counter.CountOf(Hash64.Mix((ulong)counter.Kept + 1)));
    }

    [Fact]
    public void Top_values_stay_exact_after_the_distinct_count_becomes_an_estimate()
    {
        var csv = new StringBuilder("id,tag\n");
        for (var i = 0; i < 80_000; i++)
        {
            csv.Append("row-").Append(i).Append(',').Append(i % 16 == 3 ? "hot" : "tag" + (i % 5)).Append('\n');
        }

        var profile = Profiles.One("tags.csv", csv.ToString());
        var id = profile.Splits[0].Columns.Single(c => c.Name == "id");
        Assert.False(id.DistinctIsExact);
        Assert.InRange(id.Distinct, 80_000 * 0.97, 80_000 * 1.03);
        var tag = profile.Splits[0].Columns.Single(c => c.Name == "tag");
        Assert.True(tag.DistinctIsExact);
        Assert.Equal(6, tag.Distinct);
        Assert.Equal(new ValueCount("tag0", 15_000), tag.TopValues[0]);
        Assert.Equal(new ValueCount("hot", 5_000), tag.TopValues[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Hash_is_deterministic_and_sees_every_byte(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var hash = Hash64.Of(bytes);
        Assert.Equal(hash, Hash64.Of(bytes.ToArray()));
        for (var i = 0; i < length; i++)
        {
            bytes[i] ^= 1;
            Assert.NotEqual(hash, Hash64.Of(bytes));
            bytes[i] ^= 1;
        }

        // The same bytes in a longer buffer hash alike: the length is part of the hash, not the buffer.
        var padded = new byte[length + 5];
        bytes.CopyTo(padded, 2);
        Assert.Equal(hash, Hash64.Of(padded.AsSpan(2, length)));
    }
}
