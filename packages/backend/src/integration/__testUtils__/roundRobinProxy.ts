/*
 * A real load balancer in front of backend replicas: Debian's HAProxy (scripts/system-deps.sh
 * installs it), started on a free loopback port with a generated configuration, round robin over
 * the replicas, each request balanced on its own. Every answer carries the name of the replica that
 * served it (REPLICA_HEADER), set by the proxy itself, so a test can tell who answered without
 * trusting the replicas. Streams pass through unbuffered and may stay open for minutes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The response header naming the replica (HAProxy's server name) that answered. */
export const REPLICA_HEADER = 'x-kratix-replica';

export interface ProxyTarget {
  /** The server's name in the proxy: what REPLICA_HEADER says. */
  name: string;
  port: number;
}

export interface RoundRobinProxy {
  /** `haproxy <version>`. */
  readonly version: string;
  readonly url: string;
  /** The proxy's port (openEventStream takes `{ port() }`). */
  port(): number;
  /** Points the proxy at other replicas (a replica restarted elsewhere): a new process, same port. */
  setTargets(targets: ProxyTarget[]): Promise<void>;
  stop(): Promise<void>;
}

/** HAProxy's binary: KRATIX_TEST_HAPROXY, else Debian's (in /usr/sbin, not on every user's PATH). */
function haproxyBinary(): string {
  const candidates = [
    process.env.KRATIX_TEST_HAPROXY,
    '/usr/sbin/haproxy',
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .map(dir => path.join(dir, 'haproxy')),
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find(c => fs.existsSync(c));
  if (!found) {
    throw new Error(
      'HAProxy is not installed: run scripts/system-deps.sh (apt-get install haproxy), or set KRATIX_TEST_HAPROXY',
    );
  }
  return found;
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function config(port: number, targets: ProxyTarget[]): string {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    // Event streams stay open between changes: long client, server and tunnel timeouts.
    '  timeout client 10m',
    '  timeout server 10m',
    '  timeout tunnel 10m',
    '  timeout http-request 30s',
    'frontend kratix',
    `  bind 127.0.0.1:${port}`,
    '  default_backend replicas',
    'backend replicas',
    // Round robin, every request balanced on its own (no prefer-last-server).
    '  balance roundrobin',
    `  http-response set-header ${REPLICA_HEADER} %[srv_name]`,
    ...targets.map(t => `  server ${t.name} 127.0.0.1:${t.port}`),
    '',
  ].join('\n');
}

/** Resolves once the port accepts connections; rejects if the process exits first. */
async function listening(
  child: ChildProcess,
  port: number,
  stderr: () => string,
) {
  let exited: string | undefined;
  child.once('exit', code => {
    exited = `HAProxy exited (${code}): ${stderr()}`;
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(exited);
    const open = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) {
      throw new Error(`HAProxy did not listen on ${port}: ${stderr()}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
}

/** Starts HAProxy in front of `targets`; stop() it when done. */
export async function startRoundRobinProxy(
  targets: ProxyTarget[],
): Promise<RoundRobinProxy> {
  const binary = haproxyBinary();
  const versionLine = spawnSync(binary, ['-v'], { encoding: 'utf8' })
    .stdout.split('\n')[0]
    .trim();
  const version = `haproxy ${versionLine.split(/\s+/)[2] ?? versionLine}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-haproxy-'));
  const file = path.join(dir, 'haproxy.cfg');
  const port = await freePort();
  let child: ChildProcess | undefined;
  // A jest worker that dies must not leave the proxy behind.
  const onExit = () => child?.kill('SIGKILL');
  process.once('exit', onExit);

  const start = async (to: ProxyTarget[]) => {
    fs.writeFileSync(file, config(port, to));
    let stderr = '';
    // -db: stay in the foreground, as this process's child.
    const started = spawn(binary, ['-db', '-f', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.stderr?.on('data', chunk => {
      stderr += chunk;
    });
    child = started;
    await listening(started, port, () => stderr);
  };
  const stopChild = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>(resolve => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };

  await start(targets);
  return {
    version,
    url: `http://127.0.0.1:${port}`,
    port: () => port,
    async setTargets(to) {
      await stopChild();
      await start(to);
    },
    async stop() {
      await stopChild();
      process.removeListener('exit', onExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
