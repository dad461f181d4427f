using System.Runtime.CompilerServices;
using MLIntern.Server.State;

namespace MLIntern.Server.Tests;

/// <summary>
/// The tests' approval key folder: a fresh one per test run, set before any test starts, so tests
/// never read or write the user's real key and the `mlintern` processes they start inherit it.
/// </summary>
internal static class TestConfigHome
{
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "mlintern-tests-config-" + Guid.NewGuid().ToString("N"));

#pragma warning disable CA2255 // A test assembly is the one place a module initializer belongs: it runs before any test.
    [ModuleInitializer]
    public static void Set()
    {
        Environment.SetEnvironmentVariable(ApprovalSeal.FolderVariable, Folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        };
    }
#pragma warning restore CA2255
}
