// The sidecar logs every line twice: to window/logMessage (shown at its level in the
// "ML Intern" channel) and to stderr. The stderr copy matters only when the process dies
// before or outside the protocol (a missing .NET runtime, a crash), so the extension keeps
// its last lines here, shows them at trace level, and shows the tail as an error on a crash.

export class LineTail {
  private readonly buffer: string[] = [];

  constructor(private readonly maxLines = 40) {}

  push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length > this.maxLines) this.buffer.splice(0, this.buffer.length - this.maxLines);
  }

  /** The kept lines, oldest first, and forgets them (each crash reports its own tail). */
  take(): string[] {
    return this.buffer.splice(0, this.buffer.length);
  }
}
