namespace MLIntern.Server.Mcp;

/// <summary>
/// The folder the MCP server answers about. Every path a tool is given resolves against it and must stay
/// inside it once `..` and symbolic links are followed; anything else is a <see cref="ToolError"/>.
/// </summary>
internal sealed class WorkspaceRoot
{
    /// <summary>How many symbolic links one path may pass through (Linux's own limit).</summary>
    private const int MaxLinks = 40;

    /// <summary>The workspace folder as given, made absolute.</summary>
    public string Folder { get; }

    /// <summary>The folder with its links followed: what "inside" is measured against.</summary>
    private readonly string _real;

    public WorkspaceRoot(string folder)
    {
        Folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        _real = RealPath(Folder);
    }

    /// <summary>
    /// The absolute path of <paramref name="argument"/> (relative to the workspace), or a tool error naming
    /// <paramref name="parameter"/> when it is empty, too long, or leads outside the workspace.
    /// </summary>
    public string Resolve(string argument, string parameter)
    {
        if (argument.Length == 0 || argument.Contains('\0', StringComparison.Ordinal))
        {
            throw new ToolError($"'{parameter}' must be a path inside the workspace");
        }

        string full;
        try
        {
            full = Path.GetFullPath(argument, Folder);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ToolError($"'{parameter}' is not a usable path");
        }

        if (!Contains(full))
        {
            throw new ToolError($"'{parameter}': {argument} is outside the workspace {Folder}; ML Intern's MCP tools read only inside it");
        }

        return full;
    }

    /// <summary>Whether an absolute path, its links followed, is the workspace or below it.</summary>
    public bool Contains(string fullPath)
    {
        string real;
        try
        {
            real = RealPath(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ToolError)
        {
            return false;
        }

        return real == _real || real.StartsWith(_real.EndsWith(Path.DirectorySeparatorChar) ? _real : _real + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>
    /// The path with every symbolic link in it followed, component by component (the rest of a path past a
    /// component that does not exist is kept as written). `..` was already folded by <see cref="Path.GetFullPath(string)"/>,
    /// and the tools open that folded path, so what is checked is what is read.
    /// </summary>
    private static string RealPath(string fullPath)
    {
        var links = 0;
        var pending = fullPath;
        while (true)
        {
            var root = Path.GetPathRoot(pending) ?? "/";
            var parts = pending[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? restart = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Combine(current, parts[i]);
                var target = new FileInfo(next).LinkTarget;
                if (target is null)
                {
                    current = next;
                    continue;
                }

                if (++links > MaxLinks)
                {
                    throw new ToolError("a path passes through too many symbolic links");
                }

                restart = Path.GetFullPath(Path.Combine([Path.GetFullPath(target, current), .. parts[(i + 1)..]]));
                break;
            }

            if (restart is null)
            {
                return Path.TrimEndingDirectorySeparator(current);
            }

            pending = restart;
        }
    }
}

/// <summary>A tool call that cannot be answered, with the message the client (and its model) reads.</summary>
internal sealed class ToolError(string message) : Exception(message);
