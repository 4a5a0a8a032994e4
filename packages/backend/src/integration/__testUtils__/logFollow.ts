/* A client for a followed log (…/logs?follow=true): reads the text as it arrives, no sleeps. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LogFollow {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  readonly text: string;
  /** Resolves once the text received satisfies `test` (checked on every chunk). */
  until(test: (text: string) => boolean): Promise<string>;
  /** Settles when the server ends the answer. */
  ended: Promise<void>;
  close(): void;
}

export function openLogFollow(
  server: http.Server,
  path: string,
  authorization: string,
  accept = 'text/plain',
): Promise<LogFollow> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { authorization, accept } },
      res => {
        res.setEncoding('utf8');
        let text = '';
        const waiters: Array<() => void> = [];
        res.on('data', (chunk: string) => {
          text += chunk;
          waiters.splice(0).forEach(wake => wake());
        });
        const ended = new Promise<void>(done => {
          const finish = () => {
            done();
            // Waiters learn that nothing more comes.
            waiters.splice(0).forEach(wake => wake());
          };
          res.on('end', finish);
          res.on('close', finish);
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          get text() {
            return text;
          },
          until(test) {
            return new Promise((done, fail) => {
              const check = () => {
                if (test(text)) done(text);
                else if (res.complete || res.destroyed || res.readableEnded)
                  fail(new Error(`The log ended without it: ${text}`));
                else waiters.push(check);
              };
              check();
            });
          },
          ended,
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
  });
}
