namespace MLIntern.Python;
internal static class Placeholder { }
