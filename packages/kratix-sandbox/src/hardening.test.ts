/*
 * Issue 20, Low 10, against a whole sandbox over HTTP: a spec nested thousands of levels deep is a
 * 400 naming the field (not a crash answered as a 5xx), with nothing stored and the sandbox still
 * serving; and the pipelines' work folder is private (an unguessable name, mode 0700) and goes with
 * the sandbox.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_NESTING_DEPTH } from './store/nesting';
import { startSandbox, type Sandbox } from './sandbox';

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const BASE = '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis';

/** `{deep: {deep: … {}}}`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { deep: value };
  return value;
}

describe('sandbox hardening', () => {
  let sandbox: Sandbox;
  const call = (method: string, url: string, body?: unknown) =>
    fetch(`${sandbox.url}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${sandbox.token}`,
        'Content-Type':
          method === 'PATCH'
            ? 'application/merge-patch+json'
            : 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ tls: false, stepDelayMs: 0 });
    await sandbox.ready;
  });
  afterAll(() => sandbox?.close());

  it('answers a spec nested 3,000 levels deep with a 400 naming the field, storing nothing', async () => {
    const res = await call('POST', BASE, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: { name: 'deep-cache' },
      spec: { size: 'small', config: nested(3000) },
    });
    expect(res.status).toBe(400);
    const status = await res.json();
    expect(status).toMatchObject({ kind: 'Status', code: 400 });
    expect(status.message).toContain(
      `nesting depth exceeds ${MAX_NESTING_DEPTH}`,
    );
    expect(status.message).toMatch(/spec\.config\.deep\.deep/);
    expect(status.details.causes[0].field).toMatch(/^spec\.config\.deep/);
    expect(sandbox.store.get(REDIS, 'default', 'deep-cache')).toBeUndefined();

    // Still serving, and a spec of reasonable depth is still accepted.
    const list = await call('GET', BASE);
    expect(list.status).toBe(200);
    const ok = await call('POST', BASE, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: { name: 'shallow-cache' },
      spec: { size: 'small' },
    });
    expect(ok.status).toBe(201);
  });

  it('refuses a deep merge patch the same way, leaving the object as it was', async () => {
    const before = sandbox.store.get(REDIS, 'default', 'shallow-cache')!;
    const res = await call('PATCH', `${BASE}/shallow-cache`, {
      spec: { config: nested(3000) },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('nesting depth');
    // The spec, not the resourceVersion: the emulator may still be writing this Resource's status
    // (its configure workflow, then its Work) while the patch is refused.
    expect(sandbox.store.get(REDIS, 'default', 'shallow-cache')!.spec).toEqual(
      before.spec,
    );
  });

  it('refuses a deep object written in-process too (not only over HTTP)', () => {
    expect(() =>
      sandbox.store.create(REDIS, {
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        metadata: { name: 'deep-inprocess', namespace: 'default' },
        spec: nested(MAX_NESTING_DEPTH + 5),
      }),
    ).toThrow(/nesting depth exceeds/);
  });

  it('works in a private folder of its own: unguessable name, mode 0700, gone after close', async () => {
    const own = await startSandbox({ tls: false, seed: false });
    const workDir = own.emulator.workDir;
    try {
      expect(path.dirname(workDir)).toBe(os.tmpdir());
      expect(path.basename(workDir)).toMatch(/^kratix-sandbox-[A-Za-z0-9]{6}$/);
      expect(fs.statSync(workDir).mode & 0o777).toBe(0o700);
      // Two sandboxes never share one.
      expect(sandbox.emulator.workDir).not.toBe(workDir);
    } finally {
      await own.close();
    }
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it('makes a given work folder private when it creates it', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-given-'));
    const workDir = path.join(parent, 'work');
    const own = await startSandbox({ tls: false, seed: false, workDir });
    try {
      expect(own.emulator.workDir).toBe(workDir);
      expect(fs.statSync(workDir).mode & 0o777).toBe(0o700);
    } finally {
      await own.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
