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
