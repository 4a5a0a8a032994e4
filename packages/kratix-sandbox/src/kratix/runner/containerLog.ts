/*
 * One container's log as the kubelet keeps it: stdout and stderr interleaved line by line in the
 * order the lines were completed, each with the time it was written. Bounded: past
 * `CONTAINER_LOG_MAX_BYTES` the oldest lines are dropped first (the kubelet rotates its files
 * instead, at 10 MiB by default; the sandbox keeps less because it keeps logs in memory).
 */

/** What each container keeps (1 MiB of line text); older lines are dropped first. */
export const CONTAINER_LOG_MAX_BYTES = 1024 * 1024;

export interface LogLine {
  /** Milliseconds since the epoch, when the line was completed. */
  time: number;
  /** The line with its trailing newline (a last line without one keeps none). */
  text: string;
  stream: 'stdout' | 'stderr';
}

export class ContainerLog {
  private readonly kept: LogLine[] = [];
  private bytes = 0;
  private readonly partial = { stdout: '', stderr: '' };
  private readonly listeners = new Set<{
    line(line: LogLine): void;
    end(): void;
  }>();
  private ended = false;

  constructor(private readonly maxBytes = CONTAINER_LOG_MAX_BYTES) {}

  /** Output as it arrives: complete lines are kept at once, a partial one when completed or at end. */
  write(stream: 'stdout' | 'stderr', chunk: string): void {
    if (this.ended) return;
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines)
      this.push({ time: Date.now(), text: `${line}\n`, stream });
  }

  /** The container exited: flush partial lines and end every follower. */
  end(): void {
    if (this.ended) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream])
        this.push({ time: Date.now(), text: this.partial[stream], stream });
      this.partial[stream] = '';
    }
    this.ended = true;
    for (const listener of [...this.listeners]) listener.end();
    this.listeners.clear();
  }

  get finished(): boolean {
    return this.ended;
  }

  /** The lines kept, oldest first. */
  lines(): LogLine[] {
    return [...this.kept];
  }

  /** Lines written from now on; `end` when the container exits (at once if it has). */
  follow(line: (line: LogLine) => void, end: () => void): () => void {
    if (this.ended) {
      end();
      return () => {};
    }
    const listener = { line, end };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private push(written: LogLine): void {
    let line = written;
    let size = Buffer.byteLength(line.text);
    if (size > this.maxBytes) {
      // One line longer than the whole bound keeps its end, as a rotated file would.
      line = {
        ...line,
        text: Buffer.from(line.text)
          .subarray(size - this.maxBytes)
          .toString(),
      };
      size = Buffer.byteLength(line.text);
    }
    this.kept.push(line);
    this.bytes += size;
    while (this.bytes > this.maxBytes && this.kept.length > 1) {
      this.bytes -= Buffer.byteLength(this.kept.shift()!.text);
    }
    for (const listener of this.listeners) listener.line(line);
  }
}
