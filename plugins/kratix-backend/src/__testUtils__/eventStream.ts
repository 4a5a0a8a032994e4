/*
 * A minimal server-sent events reader: opens a stream as a browser's EventSource would and hands
 * back the first event (or, when the server answers anything but a stream, its status and body).
 */
import http from 'node:http';

export interface StreamOpening {
  status: number;
  contentType: string;
  /** The first event, for a stream. */
  first?: { event: string; data: string };
  /** The whole body, for an answer that is not a stream. */
  body?: string;
}

export function openStream(
  port: number,
  path: string,
  authorization: string,
): Promise<StreamOpening> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { authorization, accept: 'text/event-stream' },
      },
      res => {
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (!contentType.startsWith('text/event-stream')) return;
          // Frames end with a blank line; comments (`: …`) carry no data and are skipped.
          for (const frame of buffer.split('\n\n').slice(0, -1)) {
            const lines = frame.split('\n');
            const data = lines
              .filter(l => l.startsWith('data:'))
              .map(l => l.slice(5).replace(/^ /, ''));
            if (data.length === 0) continue;
            const named = lines.find(l => l.startsWith('event:'));
            req.destroy();
            resolve({
              status,
              contentType,
              first: {
                event: named ? named.slice(6).trim() : 'message',
                data: data.join('\n'),
              },
            });
            return;
          }
        });
        res.on('end', () => resolve({ status, contentType, body: buffer }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}
