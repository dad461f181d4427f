using System.Security.Cryptography;
using System.Text;
using MLIntern.Training.Release;
using MLIntern.Training.Runs;

namespace MLIntern.Server.State;

/// <summary>
/// Signs and checks approvals with the user's approval key, and records their one-time nonces as
/// used. The key and the used-nonce record live in the user's config folder, outside every
/// workspace (<see cref="Folder"/>), so nothing that can only write files in a workspace — a
/// model acting there, a copied run folder, a hand-edited run.json — can make an approval or
/// use one twice. The key is created on first use, readable by the user only, and never appears in
/// a message, a log or a file other than its own.
/// </summary>
internal static class ApprovalSeal
{
    /// <summary>Overrides the folder (tests, CI); otherwise $XDG_CONFIG_HOME/mlintern or ~/.config/mlintern.</summary>
    public const string FolderVariable = "MLINTERN_CONFIG_HOME";

    public const string KeyFileName = "approval.key";

    public const string UsedNoncesFileName = "used-nonces";

    private const string NoncesLockFileName = "used-nonces.lock";

    private const int KeyBytes = 32;

    /// <summary>The user's mlintern config folder (not created here).</summary>
    public static string Folder()
    {
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } overridden)
        {
            return Path.GetFullPath(overridden);
        }

        // XDG: an unset, empty or relative XDG_CONFIG_HOME is ignored.
        if (Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "mlintern");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home))
        {
            throw new IOException($"no home folder to keep the approval key in; set {FolderVariable} or XDG_CONFIG_HOME");
        }

        return Path.Combine(home, ".config", "mlintern");
    }

    public static Approval Sign(Approval approval)
    {
        var nonced = approval with { Nonce = NewNonce(), Signature = null };
        return nonced with { Signature = Mac(nonced.SignedText()) };
    }

    public static PublishApproval Sign(PublishApproval approval)
    {
        var nonced = approval with { Nonce = NewNonce(), Signature = null };
        return nonced with { Signature = Mac(nonced.SignedText()) };
    }

    /// <summary>Why a run approval is not one this user's ML Intern made, or null when its signature holds.</summary>
    public static string? Refusal(Approval approval) =>
        Refusal(approval.Nonce, approval.Signature, approval.SignedText(), "the approval");

    /// <summary>Why a publish approval is not one this user's ML Intern made, or null when its signature holds.</summary>
    public static string? Refusal(PublishApproval approval) =>
        Refusal(approval.Nonce, approval.Signature, approval.SignedText(), $"publish approval {approval.Id}");

    /// <summary>Whether a nonce was recorded as used.</summary>
    public static bool IsUsed(string nonce)
    {
        var path = Path.Combine(Folder(), UsedNoncesFileName);
        return File.Exists(path) && ReadUsed(path).Contains(nonce);
    }

    /// <summary>
    /// Records a nonce as used, once: false when it already was. Under the nonce record's own lock
    /// (taken after a run's lock, never before), so two processes using one approval get one use
    /// even from two run folders.
    /// </summary>
    public static bool TryUse(string nonce, string usedFor)
    {
        var folder = EnsureFolder();
        using var held = RunLock.TakeFile(Path.Combine(folder, NoncesLockFileName));
        var path = Path.Combine(folder, UsedNoncesFileName);
        if (File.Exists(path) && ReadUsed(path).Contains(nonce))
        {
            return false;
        }

        // One appended line per use; the record only grows, so a reader never needs the old content back.
        using var stream = new FileStream(path, UserOnly(FileMode.Append));
        var line = Encoding.UTF8.GetBytes($"{nonce} {DateTimeOffset.UtcNow:O} {usedFor.Replace('\n', ' ')}\n");
        stream.Write(line);
        stream.Flush(flushToDisk: true);
        return true;
    }

    private static string? Refusal(string? nonce, string? signature, string signedText, string what)
    {
        if (string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
        {
            return $"{what} is not signed: it was not recorded by ML Intern's approval path (a hand-written or old approval); approve again";
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return $"{what} has a malformed signature; approve again";
        }

        return CryptographicOperations.FixedTimeEquals(given, Convert.FromHexString(Mac(signedText)))
            ? null
            : $"{what}'s signature does not match (forged, edited, or signed with another user's key); approve again";
    }

    private static string Mac(string text) => Convert.ToHexString(HMACSHA256.HashData(Key(), Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private static HashSet<string> ReadUsed(string path) =>
        [.. File.ReadLines(path).Select(line => line.Split(' ', 2)[0]).Where(n => n.Length > 0)];

    /// <summary>The key: read, or created on first use (0600 in a 0700 folder). Two processes creating it at once agree on one.</summary>
    private static byte[] Key()
    {
        var path = Path.Combine(EnsureFolder(), KeyFileName);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (File.Exists(path))
            {
                return ReadKey(path);
            }

            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".mlintern-tmp";
            try
            {
                using (var stream = new FileStream(temporary, UserOnly(FileMode.CreateNew)))
                {
                    stream.Write(Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(KeyBytes)).ToLowerInvariant() + "\n"));
                    stream.Flush(flushToDisk: true);
                }

                // Without overwrite: a key another process made first wins, and every signature agrees.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        return ReadKey(path);
    }

    private static byte[] ReadKey(string path)
    {
        // A key others can read is no longer the user's alone: narrow it back (a copied or restored file may have lost its mode).
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & others) != 0)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var text = File.ReadAllText(path).Trim();
        try
        {
            var key = Convert.FromHexString(text);
            if (key.Length >= KeyBytes)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        // The message names the file, never its content.
        throw new IOException($"{path} is not an ML Intern approval key; remove it to have a new one made (approvals made with it will need approving again)");
    }

    /// <summary>Opening for writing a file that, when created, is readable and writable by its user only (0600).</summary>
    private static FileStreamOptions UserOnly(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static string EnsureFolder()
    {
        var folder = Folder();
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return folder;
    }
}
