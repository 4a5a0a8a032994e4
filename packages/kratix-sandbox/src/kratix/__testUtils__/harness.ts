/* Shared set-up for the emulator tests: a real ObjectStore with built-in types and the CRD controller. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ObjectStore } from '../../store/ObjectStore';
import { registerBuiltinTypes } from '../../store/builtinTypes';
import { installCrdController } from '../../store/crdTypes';
import type { KubeObject, StoreChange } from '../../store/types';
import { PROMISE_KEY } from '../common/constants';
import { startKratixEmulator, KratixEmulator } from '../KratixEmulator';

export const SEED_DIR = path.resolve(__dirname, '../../../seed');
export const PIPELINES_DIR = path.resolve(__dirname, '../../../pipelines');

export function readSeed(relative: string): KubeObject {
  return parse(
    fs.readFileSync(path.join(SEED_DIR, relative), 'utf8'),
  ) as KubeObject;
}

/** Every folder tempDir made, removed after the test file (they used to pile up in the OS temp dir). */
const made = new Set<string>();
afterAll(() => {
  for (const dir of made)
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  made.clear();
});

/** A new temp folder, removed after the test file's tests. */
export function tempDir(prefix = 'kratix-emulator-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** A pipelines folder with the given scripts (file name → script text). */
export function pipelinesWith(scripts: Record<string, string>): string {
  const dir = tempDir('kratix-pipelines-');
  for (const [name, text] of Object.entries(scripts))
    fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
  return dir;
}

export interface Harness {
  store: ObjectStore;
  emulator: KratixEmulator;
  changes: StoreChange[];
  /** Errors the emulator logged (a reconcile that threw). */
  errors: string[];
  /** Installs a Promise and waits until the emulator is idle (its CRD served). */
  install(promise: KubeObject): Promise<void>;
  /** Creates the objects (their kinds already served) and waits until the emulator is idle. */
  createAndWait(objects: KubeObject[]): Promise<void>;
  stop(): Promise<void>;
}

export function startHarness(
  pipelinesDir: string = PIPELINES_DIR,
  stepDelayMs = 20,
  options: { pipelineTimeoutMs?: number; workDir?: string } = {},
): Harness {
  const store = new ObjectStore();
  registerBuiltinTypes(store);
  const stopCrds = installCrdController(store);
  const changes: StoreChange[] = [];
  const unsubscribe = store.subscribe(change => changes.push(change));
  const errors: string[] = [];
  const logger = {
    info() {},
    debug() {},
    warn(m: string) {
      if (process.env.KRATIX_TEST_VERBOSE) process.stderr.write(`WARN ${m}\n`);
    },
    error(m: string) {
      errors.push(m);
      process.stderr.write(`ERROR ${m}\n`);
    },
  };
  const emulator = startKratixEmulator(store, {
    pipelinesDir,
    workDir: options.workDir ?? tempDir(),
    stepDelayMs,
    pipelineTimeoutMs: options.pipelineTimeoutMs,
    logger,
  });
  return {
    store,
    emulator,
    changes,
    errors,
    async install(promise) {
      store.create(PROMISE_KEY, promise);
      await emulator.idle();
    },
    async createAndWait(objects) {
      for (const o of objects) {
        const [group, version] = o.apiVersion.includes('/')
          ? o.apiVersion.split('/')
          : ['', o.apiVersion];
        store.create(store.resolveType(group, version, o.kind)!, o);
      }
      await emulator.idle();
    },
    async stop() {
      await emulator.stop();
      unsubscribe();
      stopCrds();
    },
  };
}

/** Where the Resources of `testPromise(promise)` are stored. */
export const THINGS = (promise: string) => ({
  group: 'test.kratix.io',
  plural: `${promise}s`,
});

/** A Promise with a namespaced `Thing` API in group test.kratix.io and the given resource pipelines. */
export function testPromise(
  name: string,
  pipelines: Array<{ name: string; images: string[] }>,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'platform.kratix.io/v1alpha1',
    kind: 'Promise',
    metadata: { name },
    spec: {
      api: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${name}s.test.kratix.io` },
        spec: {
          group: 'test.kratix.io',
          names: { kind: name, plural: `${name}s`, singular: name },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: { size: { type: 'string' } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
      ...(pipelines.length
        ? {
            workflows: {
              resource: {
                configure: pipelines.map(p => ({
                  apiVersion: 'platform.kratix.io/v1alpha1',
                  kind: 'Pipeline',
                  metadata: { name: p.name },
                  spec: {
                    containers: p.images.map((image, i) => ({
                      name: `c${i}`,
                      image,
                    })),
                  },
                })),
              },
            },
          }
        : {}),
      ...extra,
    },
  };
}

export function thing(
  promise: string,
  name: string,
  spec: Record<string, unknown> = { size: 'small' },
  metadata: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'test.kratix.io/v1alpha1',
    kind: promise,
    metadata: { name, namespace: 'default', ...metadata },
    spec,
  };
}

export const statusOf = (o: KubeObject | undefined) =>
  (o?.status ?? {}) as Record<string, any>;
export const conditionOf = (o: KubeObject | undefined, type: string) =>
  (statusOf(o).conditions ?? []).find((c: any) => c.type === type);
