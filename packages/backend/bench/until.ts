/* Waiting in the benchmarks: polls until a check answers, or fails naming what it waited for. */

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** `fn`'s first answer other than undefined (a throw counts as none), polled every `everyMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
