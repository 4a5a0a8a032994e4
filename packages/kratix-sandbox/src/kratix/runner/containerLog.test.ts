import { ContainerLog, CONTAINER_LOG_MAX_BYTES } from './containerLog';

const texts = (log: ContainerLog) => log.lines().map(l => l.text);

describe('ContainerLog', () => {
  it('interleaves stdout and stderr line by line, in the order lines complete', () => {
    const log = new ContainerLog();
    log.write('stdout', 'out one\nout tw');
    log.write('stderr', 'err one\n');
    log.write('stdout', 'o\n');
    expect(log.lines().map(l => [l.stream, l.text])).toEqual([
      ['stdout', 'out one\n'],
      ['stderr', 'err one\n'],
      ['stdout', 'out two\n'],
    ]);
  });

  it('keeps a last line without newline when the container ends, and nothing written after', () => {
    const log = new ContainerLog();
    log.write('stderr', 'no newline');
    expect(texts(log)).toEqual([]);
    log.end();
    log.write('stdout', 'too late\n');
    expect(texts(log)).toEqual(['no newline']);
    expect(log.finished).toBe(true);
  });

  it('drops the oldest lines first once past its byte bound', () => {
    const log = new ContainerLog(20);
    log.write('stdout', 'line 1...\n'); // 10 bytes
    log.write('stdout', 'line 2...\n');
    expect(texts(log)).toEqual(['line 1...\n', 'line 2...\n']);
    log.write('stdout', 'line 3...\n');
    expect(texts(log)).toEqual(['line 2...\n', 'line 3...\n']);
  });

  it('keeps the end of a single line longer than the whole bound', () => {
    const log = new ContainerLog(8);
    log.write('stdout', 'abcdefghijkl\n');
    expect(texts(log)).toEqual(['fghijkl\n']);
    expect(Buffer.byteLength(texts(log)[0])).toBe(8);
  });

  it('is bounded at 1 MiB by default', () => {
    const log = new ContainerLog();
    const line = `${'x'.repeat(1023)}\n`; // 1 KiB
    for (let i = 0; i < 1100; i++) log.write('stdout', line);
    const kept = log.lines();
    expect(kept.length).toBe(CONTAINER_LOG_MAX_BYTES / 1024);
    expect(CONTAINER_LOG_MAX_BYTES).toBe(1024 * 1024);
  });

  it('tells followers each new line, and that it ended', () => {
    const log = new ContainerLog();
    log.write('stdout', 'before\n');
    const seen: string[] = [];
    let ended = false;
    log.follow(
      line => seen.push(line.text),
      () => (ended = true),
    );
    log.write('stdout', 'after\n');
    expect(ended).toBe(false);
    log.end();
    expect(seen).toEqual(['after\n']);
    expect(ended).toBe(true);
    // Following an ended log ends at once.
    let endedAgain = false;
    log.follow(
      () => {},
      () => (endedAgain = true),
    );
    expect(endedAgain).toBe(true);
  });
});
