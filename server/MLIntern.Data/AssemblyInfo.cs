namespace MLIntern.Data;
internal static class Placeholder { }
