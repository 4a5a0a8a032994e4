/* A minimal server-sent events client for the tests: reads frames as they arrive. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServerSentEvent {
  event: string;
  data: string;
}

export interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every event received so far (comments such as `: unchanged` are not events). */
  events: ServerSentEvent[];
  /**
   * The JSON data of the next event of this type that arrives after the previous call returned
   * (events already received and not yet consumed count). Rejects after `timeoutMs`.
   */
  nextEvent(type: string, timeoutMs?: number): Promise<any>;
  /** Settles when the server ends the stream. */
  ended: Promise<void>;
  /**
   * Whether the response ended cleanly (the server finished it), rather than being cut off; read
   * once `ended` settled.
   */
  readonly complete: boolean;
  close(): void;
}

/** Opens `path` on the test server with the Authorization header, as a browser's EventSource would. */
export function openEventStream(
  server: http.Server | { port(): number },
  path: string,
  authorization: string,
): Promise<EventStream> {
  const port =
    'port' in server && typeof server.port === 'function'
      ? server.port()
      : ((server as http.Server).address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { authorization, accept: 'text/event-stream' },
      },
      res => {
        res.setEncoding('utf8');
        const events: ServerSentEvent[] = [];
        let consumed = 0;
        let buffer = '';
        let wake: (() => void) | undefined;
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (;;) {
            const end = buffer.indexOf('\n\n');
            if (end < 0) break;
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:'))
                data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length > 0) events.push({ event, data: data.join('\n') });
          }
          wake?.();
        });
        const waitForData = (ms: number) =>
          new Promise<void>(done => {
            const timer = setTimeout(done, ms);
            wake = () => {
              clearTimeout(timer);
              done();
            };
          });
        let markEnded: () => void = () => {};
        const ended = new Promise<void>(done => {
          markEnded = done;
        });
        res.on('end', () => {
          markEnded();
          wake?.();
        });
        res.on('close', () => markEnded());
        res.on('error', () => wake?.());
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          events,
          ended,
          get complete() {
            return res.complete;
          },
          async nextEvent(type, timeoutMs = 30_000) {
            const deadline = Date.now() + timeoutMs;
            for (;;) {
              while (consumed < events.length) {
                const event = events[consumed++];
                if (event.event === type) return JSON.parse(event.data);
              }
              const left = deadline - Date.now();
              if (left <= 0 || res.complete) {
                throw new Error(
                  `No "${type}" event within ${timeoutMs} ms (received: ${
                    events.map(e => e.event).join(', ') || 'none'
                  })`,
                );
              }
              await waitForData(left);
              wake = undefined;
            }
          },
          close() {
            req.destroy();
          },
        });
      },
    );
    req.on('error', reject);
  });
}
