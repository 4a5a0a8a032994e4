/*
 * Fills a sandbox with 10,000 of its load-test Resources (50 Promises x 200), each naming one of
 * 100 entities. Shared by the scale
 * test and the bench.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import {
  addScaleResources,
  installScalePromises,
} from '@kratix-backstage/sandbox/testUtils';

export const SCALE = { promises: 50, perPromise: 200, perEntity: 100 };

/** The entity Resource number `index` (0..9,999) names: 100 Resources per entity, in order. */
export const entityOfResource = (index: number) =>
  `app-${Math.floor(index / SCALE.perEntity)}`;

/** The `metadata.uid` the catalog gives the entity named `name` in these tests. */
export const entityUid = (name: string) => `uid-of-${name}`;

export async function fillSandbox(sandbox: Sandbox): Promise<void> {
  const range = { to: SCALE.promises };
  await installScalePromises(sandbox, range);
  await addScaleResources(sandbox, {
    ...range,
    perPromise: SCALE.perPromise,
    annotations: (i, j) => {
      const entity = entityOfResource(i * SCALE.perPromise + j);
      // Bound to the entity itself, as creation through Backstage records it.
      return {
        'kratix.backstage.io/entity-ref': `component:default/${entity}`,
        'kratix.backstage.io/entity-uid': entityUid(entity),
      };
    },
  });
}
