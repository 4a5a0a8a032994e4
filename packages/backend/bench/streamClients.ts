/*
 * The stream clients of bench/streams.ts, in a process of their own (forked by it), so parsing 500
 * streams neither runs on the backend's event loop nor counts in its memory. Driven over IPC:
 *   { open: { url, tokens: string[], perUser } }  → opens tokens.length × perUser event streams,
 *                                                   answers { opened: n } once each has its first
 *                                                   frame (or { error } on an HTTP error);
 *   { expect: marker }                             → answers { arrived: marker, at: number[] } with,
 *                                                   for each stream, when the first `resources`
 *                                                   frame holding the marker arrived;
 *   { close: true }                                → closes every stream and exits.
 * Times are `performance.timeOrigin + performance.now()`: milliseconds on the same clock as the
 * parent's, which stamps when it wrote the change.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

type Message =
  | { open: { url: string; tokens: string[]; perUser: number } }
  | { expect: string }
  | { close: true };

const clock = () => performance.timeOrigin + performance.now();
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const requests: http.ClientRequest[] = [];
/** Per stream: the markers seen, with when. */
const seen: Array<Map<string, number>> = [];
let expected: string | undefined;

const reply = (message: object) => process.send?.(message);

function checkExpected() {
  if (!expected) return;
  const marker = expected;
  if (seen.every(s => s.has(marker))) {
    expected = undefined;
    reply({ arrived: marker, at: seen.map(s => s.get(marker)!) });
  }
}

function openStream(url: string, token: string, index: number): Promise<void> {
  seen[index] = new Map();
  return new Promise((resolve, reject) => {
    const req = http.get(url, {
      agent,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      },
    });
    requests.push(req);
    req.on('error', reject);
    req.on('response', res => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream ${index}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = clock();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith('event: resources')) {
            resolve(); // the first frame: the stream is open
            const marker = /bench-marker-\d+/.exec(frame)?.[0];
            if (marker && !seen[index].has(marker)) {
              seen[index].set(marker, at);
              if (marker === expected) checkExpected();
            }
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
  });
}

process.on('message', async (message: Message) => {
  if ('open' in message) {
    const { url, tokens, perUser } = message.open;
    try {
      // A few at a time: the way tabs open, not one burst of 500 handshakes.
      const all = tokens.flatMap(t => Array.from({ length: perUser }, () => t));
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < all.length) {
            const i = next++;
            await openStream(url, all[i], i);
          }
        }),
      );
      reply({ opened: all.length });
    } catch (error) {
      reply({ error: String(error) });
    }
  } else if ('expect' in message) {
    expected = message.expect;
    checkExpected();
  } else if ('close' in message) {
    for (const req of requests) req.destroy();
    agent.destroy();
    process.exit(0);
  }
});
