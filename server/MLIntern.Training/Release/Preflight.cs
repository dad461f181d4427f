using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MLIntern.Data.Checks;

namespace MLIntern.Training.Release;

/// <summary>A file to upload: its path relative to the folder, size, and its bytes (null when too large to scan).</summary>
public sealed record UploadFile(string Path, long Size, byte[]? Content, string Sha256)
{
    /// <summary>The size of a path that is not a regular file (a FIFO, a device, a socket): never read, always refused.</summary>
    public const long NotRegular = -1;
}

/// <summary>One preflight problem; every one blocks the upload. Secrets are shown masked, personal data by kind only.</summary>
public sealed record PreflightProblem(string Kind, string Message, string? File = null, int? Line = null);

/// <summary>The preflight's answer: what would be uploaded where, what blocks it, and the hash an approval must repeat.</summary>
public sealed record PreflightReport(
    string RepoId,
    string RepoType,
    bool Private,
    string Folder,
    IReadOnlyList<UploadFileInfo> Files,
    long TotalBytes,
    IReadOnlyList<PreflightProblem> Problems,
    IReadOnlyList<CardProblem> CardWarnings,
    string FileListHash)
{
    public bool Passed => Problems.Count == 0;
}

public sealed record UploadFileInfo(string Path, long Size);

/// <summary>
/// Checks before anything is published: the repo id and type are well-formed; the card (model) or
/// Space README is valid by the Hub's rules and has no unfilled field; no file holds a secret
/// (Hugging Face, OpenAI, AWS, GitHub, Slack, Google keys, private keys, assignments of key/token/
/// password literals); no text file holds personal data (e-mail addresses, phone and card numbers,
/// as MLD008 finds them). Malformed input is refused, never waved through.
/// </summary>
public static partial class Preflight
{
    public const string ModelType = "model";
    public const string SpaceType = "space";

    /// <summary>The kind of the preflight problem a malformed repo id makes.</summary>
    public const string RepoIdKind = "repo-id";

    /// <summary>Text scanned per file; a larger text file is a problem (it cannot be checked), binary files are listed only.</summary>
    public const long MaxScanBytes = 20L << 20;

    /// <summary>The longest owner or name the Hub takes, each side of the slash.</summary>
    public const int MaxRepoNameLength = 96;

    private static readonly System.Buffers.SearchValues<char> RepoIdCharacters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    public static bool IsRepoId(string repoId) => RepoIdProblem(repoId) is null;

    /// <summary>
    /// The one repo-id rule (the editor asks it through mlintern/checkRepoId): why
    /// <paramref name="repoId"/> is not a Hub repo id this command can publish to, or null when it is one.
    /// As huggingface_hub validates ids, plus the owner a publish needs: exactly "owner/name"; each side
    /// 1–96 ASCII letters, digits, '-', '_' or '.'; '-' and '.' neither start nor end a side; no "--"
    /// or ".." anywhere; no ".git" at the end.
    /// </summary>
    public static string? RepoIdProblem(string repoId)
    {
        if (repoId.Length == 0)
        {
            return "the repo id is empty; type it as owner/name, e.g. acme/ticket-intent";
        }

        var parts = repoId.Split('/');
        if (parts.Length == 1)
        {
            return $"'{repoId}' has no owner: a repo id is owner/name (your user or organisation, a slash, the repository name)";
        }

        if (parts.Length > 2)
        {
            return $"'{repoId}' has {parts.Length - 1} slashes: a repo id is owner/name, with one slash";
        }

        foreach (var (part, side) in new[] { (parts[0], "owner"), (parts[1], "name") })
        {
            if (part.Length == 0)
            {
                return $"the {side} in '{repoId}' is empty";
            }

            if (part.Length > MaxRepoNameLength)
            {
                return $"the {side} in '{repoId}' has {part.Length} characters; the Hub takes at most {MaxRepoNameLength}";
            }

            var bad = part.AsSpan().IndexOfAnyExcept(RepoIdCharacters);
            if (bad >= 0)
            {
                return $"the {side} in '{repoId}' holds {(char.IsControl(part[bad]) || char.IsWhiteSpace(part[bad]) ? $"U+{(int)part[bad]:X4}" : $"'{part[bad]}'")}: use letters, digits, '-', '_' and '.'";
            }

            if (part[0] is '-' or '.' || part[^1] is '-' or '.')
            {
                return $"the {side} in '{repoId}' starts or ends with '-' or '.'";
            }
        }

        if (repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal))
        {
            return $"'{repoId}' holds \"--\" or \"..\", which the Hub forbids";
        }

        if (repoId.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{repoId}' ends with \".git\"; the Hub's repo ids never do (drop it)";
        }

        return null;
    }

    /// <param name="knownSafe">Strings that look like personal data but are not (the run id "20260101-120000-ab12" reads as a phone number): blanked before the scan.</param>
    /// <param name="trainedOn">The Hub data set the run's data was downloaded from (its hub-provenance.json), when it was: a model card must name it in `datasets:`.</param>
    public static PreflightReport Check(string repoId, string repoType, bool isPrivate, string folder, IReadOnlyList<UploadFile> files, IReadOnlyList<string>? knownSafe = null, string? trainedOn = null)
    {
        var problems = new List<PreflightProblem>();
        var warnings = new List<CardProblem>();
        if (RepoIdProblem(repoId) is { } repoIdProblem)
        {
            problems.Add(new PreflightProblem(RepoIdKind, $"not a Hub repo id: {repoIdProblem}"));
        }

        if (repoType is not (ModelType or SpaceType))
        {
            problems.Add(new PreflightProblem("repo-type", $"'{repoType}' is not a repo type this command publishes (model or space)"));
        }

        if (files.Count == 0)
        {
            problems.Add(new PreflightProblem("files", $"{folder} has no files to upload"));
        }

        var readme = files.FirstOrDefault(f => f.Path == "README.md");
        if (readme is null)
        {
            problems.Add(new PreflightProblem("card", repoType == SpaceType ? "README.md with the Spaces front matter is missing (mlintern demo RUN writes it)" : "README.md (the model card) is missing (mlintern card RUN writes it)"));
        }
        else if (readme.Content is not null)
        {
            var text = Encoding.UTF8.GetString(readme.Content);
            var cardProblems = repoType == SpaceType ? GradioSpace.ValidateReadme(text) : CardValidator.ValidateReadme(text);
            if (repoType == ModelType && trainedOn is not null && !CardValidator.NamesDataset(text, trainedOn))
            {
                problems.Add(new PreflightProblem("provenance", $"the run was trained on the Hub data set {trainedOn} (its hub-provenance.json), but the card's `datasets:` does not name it; say where the data came from (mlintern card RUN writes it)", "README.md"));
            }

            foreach (var p in cardProblems)
            {
                if (p.Severity == CardProblem.Error)
                {
                    problems.Add(new PreflightProblem("card", $"{p.Field}: {p.Message}", "README.md"));
                }
                else
                {
                    warnings.Add(p);
                }
            }
        }

        foreach (var file in files)
        {
            if (file.Size == UploadFile.NotRegular)
            {
                problems.Add(new PreflightProblem("file", "not a regular file (a FIFO, a device or a socket): it cannot be checked or uploaded", file.Path));
                continue;
            }

            if (file.Content is null)
            {
                problems.Add(new PreflightProblem("file", $"larger than {MaxScanBytes >> 20} MB and not binary: cannot be checked for secrets", file.Path));
                continue;
            }

            if (IsBinary(file.Content))
            {
                continue;
            }

            var content = Encoding.UTF8.GetString(file.Content);
            foreach (var safe in knownSafe ?? [])
            {
                content = content.Replace(safe, "RUN", StringComparison.Ordinal);
            }

            ScanText(file.Path, content, problems);
        }

        var hash = FileListHash(files);
        return new PreflightReport(repoId, repoType, isPrivate, folder, [.. files.Select(f => new UploadFileInfo(f.Path, f.Size))], files.Sum(f => Math.Max(0, f.Size)), problems, warnings, hash);
    }

    /// <summary>SHA-256 over the sorted lines "path\tsize\tsha256": an approval is for exactly these bytes.</summary>
    public static string FileListHash(IEnumerable<UploadFile> files)
    {
        var text = string.Join("\n", files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => $"{f.Path}\t{f.Size}\t{f.Sha256}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }

    public static string Sha256(byte[] content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>A NUL byte in the first 8 KB marks a binary file (git's rule).</summary>
    public static bool IsBinary(byte[] content) => content.AsSpan(0, Math.Min(content.Length, 8192)).IndexOf((byte)0) >= 0;

    private static void ScanText(string path, string text, List<PreflightProblem> problems)
    {
        // The secrets are found in the whole text (a private key spans lines), one problem per line.
        var lineStarts = new List<int> { 0 };
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            lineStarts.Add(i + 1);
        }

        var reported = new HashSet<int>();
        foreach (var secret in Secrets.Find(text))
        {
            var index = lineStarts.BinarySearch(secret.Start);
            var lineNumber = index >= 0 ? index + 1 : ~index;
            if (reported.Add(lineNumber))
            {
                problems.Add(new PreflightProblem("secret", $"{secret.Kind.Name}: {Secrets.Mask(secret.Kind, secret.Value(text))}", path, lineNumber));
            }
        }

        var lineNumber2 = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber2++;
            var kinds = PersonalData.Find(Encoding.UTF8.GetBytes(line));
            if (kinds != PersonalData.Kinds.None)
            {
                problems.Add(new PreflightProblem("personal-data", $"personal data ({kinds.ToString().ToLowerInvariant()}) in the text", path, lineNumber2));
            }
        }
    }

    /// <summary>The text with every secret the one detector knows replaced by its kind and prefix: for text that leaves the machine.</summary>
    public static string RedactSecrets(string text) => Secrets.Redact(text);

}
