/*
 * Cleans up after a sandbox process that dies without running any of its own code: SIGKILL (what
 * Playwright's web server teardown and `timeout -s KILL` send), an OOM kill. Pipeline scripts run in
 * their own process groups (pipelineRunner.ts), so they outlive such a death, `sleep 3600` and all,
 * and so would the private work folder.
 *
 * The watchdog is a small detached shell reading a pipe from this process: `+<pgid>` / `-<pgid>` as
 * pipeline process groups start and end. When the pipe reaches end-of-file (this process is gone,
 * whatever killed it, or `close()` was called) it kills the groups still listed and removes the work
 * folder it was given. No polling: end-of-file on the pipe is the signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `
groups=" "
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) groups="\${groups/ \${line#-} / }" ;;
  esac
done
for g in $groups; do kill -KILL -- "-$g" 2>/dev/null; done
if [ -n "$1" ]; then rm -rf -- "$1"; fi
`;

export interface ProcessWatchdog {
  track(pgid: number, alive: boolean): void;
  /** Ends the watchdog: it kills what is still listed and removes the folder, then exits. */
  close(): void;
}

/** Starts a watchdog; `removeDir` is removed when this process ends (the emulator's own work dir). */
export function startProcessWatchdog(removeDir?: string): ProcessWatchdog {
  let child: ChildProcess | undefined;
  try {
    child = spawn(
      'bash',
      ['-c', SCRIPT, 'kratix-sandbox-watchdog', removeDir ?? ''],
      {
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    );
    child.on('error', () => {
      child = undefined; // no bash: the 'exit' handler and close() still clean up
    });
    // Neither the pipe nor the child may keep this process alive.
    child.unref();
    (child.stdin as unknown as { unref?(): void })?.unref?.();
    child.stdin?.on('error', () => {});
  } catch {
    child = undefined;
  }
  return {
    track(pgid, alive) {
      if (child?.stdin?.writable)
        child.stdin.write(`${alive ? '+' : '-'}${pgid}\n`);
    },
    close() {
      child?.stdin?.end();
      child = undefined;
    },
  };
}
