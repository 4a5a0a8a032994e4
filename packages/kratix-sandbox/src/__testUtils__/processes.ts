/* Process checks for the tests that kill pipeline scripts. */
import fs from 'node:fs';

/**
 * Alive and not a zombie: a killed script's `sleep` is reparented to init and may stay a zombie where
 * init does not reap (containers). Uses /proc where there is one, else signal 0.
 */
export function isRunning(pid: number): boolean {
  if (fs.existsSync('/proc/self/stat')) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2)[0]);
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface MarkedProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
  env: Record<string, string>;
}

/**
 * Live processes (not zombies) whose environment holds `KRATIX_TEST_MARKER=<marker>`: the pipeline
 * scripts of a sandbox started with that marker in its pipelineEnv (or its own environment), and
 * what they started. Linux only (/proc).
 */
export function markedProcesses(marker: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (!environ.split('\0').includes(`KRATIX_TEST_MARKER=${marker}`))
        continue;
      const pid = Number(entry);
      if (!isRunning(pid)) continue;
      const env = Object.fromEntries(
        environ
          .split('\0')
          .filter(Boolean)
          .map(kv => [
            kv.slice(0, kv.indexOf('=')),
            kv.slice(kv.indexOf('=') + 1),
          ]),
      );
      const command = fs
        .readFileSync(`/proc/${entry}/cmdline`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .join(' ');
      found.push({ pid, command, env });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Polls `check` until it returns a value (eventual consistency only: another process acts). */
export async function eventually<T>(
  check: () => T | undefined,
  what: string,
  tries = 600,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
