using System.Text;
using MLIntern.Server.Engine;

namespace MLIntern.Server.Tests;

/// <summary>Profiles are cached by content: new times on the same bytes keep the profile, other bytes make a new one.</summary>
public sealed class DatasetFactsServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mlintern-facts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Csv(int rows, string extra = "")
    {
        var text = new StringBuilder("text,label\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append($"ticket number {i} about {(i % 3 == 0 ? "billing" : "login")}{extra},{(i % 3 == 0 ? "billing" : "login")}\n");
        }

        return text.ToString();
    }

    [Fact]
    public void A_file_touched_with_the_same_bytes_keeps_its_profile_and_new_bytes_profile_again()
    {
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(data);
        var train = Path.Combine(data, "train.csv");
        File.WriteAllText(train, Csv(40));
        var service = new DatasetFactsService();

        var first = service.GetFacts(train, null)!;
        Assert.Equal(1, service.ProfilesComputed);
        Assert.NotNull(service.GetFacts(train, null));
        Assert.Equal(1, service.ProfilesComputed);

        File.SetLastWriteTimeUtc(train, DateTime.UtcNow.AddMinutes(5));
        var touched = service.GetFacts(train, null)!;
        Assert.Equal(1, service.ProfilesComputed);
        Assert.NotEqual(first.Version, touched.Version); // the facts' version follows the file, the profile is the same
        Assert.Equal(0, service.PendingBytes(train, null));

        File.WriteAllText(train, Csv(41));
        var changed = service.GetProfile(train, null)!;
        Assert.Equal(2, service.ProfilesComputed);
        Assert.Equal(41, changed.Rows);
    }

    [Fact]
    public void A_hub_cache_file_is_known_by_its_blob_name_without_reading_it()
    {
        var blobs = Path.Combine(_dir, "datasets--acme--tickets", "blobs");
        var snapshot = Path.Combine(_dir, "datasets--acme--tickets", "snapshots", "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
        Directory.CreateDirectory(blobs);
        Directory.CreateDirectory(snapshot);
        const string Hash = "4d5f0c1e2b3a49586776a5b4c3d2e1f00112233445566778899aabbccddeeff0";
        var blob = Path.Combine(blobs, Hash);
        File.WriteAllText(blob, Csv(30));
        var link = Path.Combine(snapshot, "train.csv");
        File.CreateSymbolicLink(link, Path.Combine("..", "..", "blobs", Hash));

        Assert.Equal("blob:" + Hash, DatasetFactsService.ContentHash(link, default));
        Assert.Equal(64, DatasetFactsService.ContentHash(blob, default).Length); // not a link: the bytes' SHA-256

        var service = new DatasetFactsService();
        Assert.Equal(30, service.GetProfile(link, null)!.Rows);
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(30, service.GetProfile(link, null)!.Rows);
        Assert.Equal(1, service.ProfilesComputed);
    }
}
