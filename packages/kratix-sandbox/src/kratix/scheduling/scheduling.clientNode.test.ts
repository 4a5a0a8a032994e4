/*
 * The scheduling condition flow as a client-node program sees it (what the Backstage backend
 * uses): Destinations patched over the API, the Resource's WorksSucceeded transitions observed on
 * a Watch. Each wait is for a watch event, with a deadline; no sleeps.
 */
import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import {
  resetDestinations,
  type ServedPlatform,
  startServedPlatform,
} from './__testUtils__/servedPlatform';

const REDIS_PATH =
  '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis';

let p: ServedPlatform;
let kc: KubeConfig;
let api: CustomObjectsApi;

beforeAll(async () => {
  p = await startServedPlatform(['redis']);
  kc = new KubeConfig();
  kc.loadFromFile(p.kubeconfig);
  api = kc.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await p?.close();
});
beforeEach(async () => {
  await resetDestinations(p.h);
});

const summary = (object: any, type: string) => {
  const c = object?.status?.conditions?.find((x: any) => x.type === type);
  return c ? `${c.status}/${c.reason}` : 'none';
};

/** The distinct successive WorksSucceeded (and Reconciled) states of one Resource, from a Watch. */
async function watchConditions(name: string) {
  const seen: string[] = [];
  const reconciled: string[] = [];
  const waiters: Array<() => void> = [];
  const controller = await new Watch(kc).watch(
    REDIS_PATH,
    { fieldSelector: `metadata.name=${name}` },
    (_type: string, object: any) => {
      const works = summary(object, 'WorksSucceeded');
      if (seen[seen.length - 1] !== works) seen.push(works);
      reconciled.push(summary(object, 'Reconciled'));
      for (const wake of [...waiters]) wake();
    },
    () => {},
  );
  return {
    seen,
    /** Where the next expectation starts: take it before the change that should cause it. */
    mark: () => seen.length,
    /** Resolves when a state equal to `want` was seen at or after `from`. */
    until(want: string, from: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const deadline: { timer?: ReturnType<typeof setTimeout> } = {};
        const check = () => {
          if (!seen.slice(from).includes(want)) return;
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(deadline.timer);
          resolve();
        };
        deadline.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(
            new Error(
              `no ${want} on the watch of ${name}; saw ${seen.join(' → ')}`,
            ),
          );
        }, 20000);
        waiters.push(check);
        check();
      });
    },
    lastReconciled: () => reconciled[reconciled.length - 1],
    stop: () => controller.abort(),
  };
}

async function createRedis(name: string) {
  await api.createNamespacedCustomObject({
    group: 'marketplace.kratix.io',
    version: 'v1alpha1',
    namespace: 'default',
    plural: 'redis',
    body: {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: { name, namespace: 'default' },
      spec: { size: 'small' },
    },
  });
}

async function patchDestination(
  name: string,
  metadata: Record<string, unknown>,
) {
  await api.patchClusterCustomObject(
    {
      group: 'platform.kratix.io',
      version: 'v1alpha1',
      plural: 'destinations',
      name,
      body: { metadata },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

describe('scheduling through client-node', () => {
  it('sees WorksSucceeded go False/WorksMisplaced when the Destination is relabelled, and True when it matches again', async () => {
    await createRedis('watched-relabel');
    const w = await watchConditions('watched-relabel');
    try {
      await w.until('True/WorksSucceeded', 0);
      const start = w.mark();

      await patchDestination('dev', { labels: { environment: 'x' } });
      await w.until('False/WorksMisplaced', start);
      expect(w.lastReconciled()).toBe('False/WorksFailing');

      const back = w.mark();
      await patchDestination('dev', { labels: { environment: 'dev' } });
      await w.until('True/WorksSucceeded', back);
      expect(w.lastReconciled()).toBe('True/Reconciled');
      expect(w.seen.slice(start - 1)).toEqual([
        'True/WorksSucceeded',
        'False/WorksMisplaced',
        'True/WorksSucceeded',
      ]);
    } finally {
      w.stop();
    }
  });

  it('sees WorksSucceeded go False/WorksFailing while the Destination is annotated unhealthy', async () => {
    await createRedis('watched-unhealthy');
    const w = await watchConditions('watched-unhealthy');
    try {
      await w.until('True/WorksSucceeded', 0);
      const start = w.mark();

      await patchDestination('dev', {
        annotations: { 'sandbox.kratix.io/unhealthy': 'true' },
      });
      await w.until('False/WorksFailing', start);
      expect(w.lastReconciled()).toBe('False/WorksFailing');

      const back = w.mark();
      await patchDestination('dev', {
        annotations: { 'sandbox.kratix.io/unhealthy': null },
      });
      await w.until('True/WorksSucceeded', back);
      expect(w.seen.slice(start - 1)).toEqual([
        'True/WorksSucceeded',
        'False/WorksFailing',
        'True/WorksSucceeded',
      ]);
    } finally {
      w.stop();
    }
  });

  it('sees WorksPending without a matching Destination, then WorksSucceeded once another Destination is relabelled to match', async () => {
    await patchDestination('dev', { labels: { environment: 'x' } });
    const w = await watchConditions('watched-pending');
    try {
      await createRedis('watched-pending');
      await w.until('Unknown/WorksPending', 0);
      const pending = w.mark();

      await patchDestination('prod', { labels: { environment: 'dev' } });
      await w.until('True/WorksSucceeded', pending);
      expect(w.lastReconciled()).toBe('True/Reconciled');
      expect(w.seen.slice(pending - 1)).toEqual([
        'Unknown/WorksPending',
        'True/WorksSucceeded',
      ]);
    } finally {
      w.stop();
    }
  });
});
