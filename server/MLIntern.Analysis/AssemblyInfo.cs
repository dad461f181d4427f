namespace MLIntern.Analysis;
internal static class Placeholder { }
