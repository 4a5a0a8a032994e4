/*
 * A Destination's Ready condition and Events, as Kratix's Destination controller sets them: not
 * ready, then Ready once the test documents are written; not ready while the state store is
 * unreachable (the sandbox's unhealthy annotation); Ready straight away without init workloads.
 */
import type { KubeObject } from '../../store/types';
import { EVENT_KEY } from '../common/constants';
import {
  conditionOf,
  Harness,
  readSeed,
  startHarness,
} from '../__testUtils__/harness';
import { DESTINATION_KEY } from './schedulingTypes';
import { clone } from '../common/storeUtil';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const destination = (name: string) =>
  h.store.get(DESTINATION_KEY, undefined, name)!;
const ready = (name: string) => {
  const c = conditionOf(destination(name), 'Ready');
  return c && `${c.status}/${c.reason}/${c.message}`;
};
const eventsAbout = (name: string) =>
  h.store
    .list(EVENT_KEY, { namespace: 'default' })
    .items.filter(
      e =>
        (e.involvedObject as any).kind === 'Destination' &&
        (e.involvedObject as any).name === name,
    )
    .map(e => `${e.type} ${e.reason} (${e.reportingComponent}): ${e.message}`);

async function edit(name: string, change: (d: KubeObject) => void) {
  const next = clone(destination(name));
  change(next);
  h.store.update(DESTINATION_KEY, next);
  await h.emulator.idle();
}

describe('Destination controller', () => {
  it('goes not ready, then Ready once its test documents are written', async () => {
    h = startHarness(undefined, 5);
    const readyStates: string[] = [];
    h.store.subscribe(change => {
      if (change.object.kind !== 'Destination') return;
      const c = conditionOf(change.object, 'Ready');
      if (c) readyStates.push(`${c.status}/${c.reason}`);
    });
    h.store.create(DESTINATION_KEY, readSeed('destinations/dev.yaml'));
    await h.emulator.idle();
    expect(readyStates).toEqual([
      'False/DestinationNotReady',
      'True/TestDocumentsWritten',
    ]);
    expect(ready('dev')).toBe(
      'True/TestDocumentsWritten/Test documents written to State Store',
    );
    expect(eventsAbout('dev')).toEqual([
      'Normal DestinationReady (DestinationController): Destination is Ready',
    ]);
  });

  it('is not ready while annotated unhealthy, and Ready again once the annotation goes', async () => {
    h = startHarness(undefined, 5);
    h.store.create(DESTINATION_KEY, readSeed('destinations/dev.yaml'));
    await h.emulator.idle();

    await edit('dev', d => {
      d.metadata.annotations = { 'sandbox.kratix.io/unhealthy': 'true' };
    });
    const failed =
      'Failed to write test documents to State Store: state store of Destination dev is unreachable (sandbox.kratix.io/unhealthy)';
    expect(ready('dev')).toBe(`False/StateStoreWriteFailed/${failed}`);
    expect(eventsAbout('dev')).toContain(
      `Warning DestinationNotReady (DestinationController): ${failed}`,
    );

    await edit('dev', d => {
      delete d.metadata.annotations;
    });
    expect(ready('dev')).toBe(
      'True/TestDocumentsWritten/Test documents written to State Store',
    );
  });

  it('is Ready without writing test documents when init workloads are off', async () => {
    h = startHarness(undefined, 5);
    const dev = readSeed('destinations/dev.yaml');
    (dev.spec as any).initWorkloads = { enabled: false };
    h.store.create(DESTINATION_KEY, dev);
    await h.emulator.idle();
    expect(ready('dev')).toBe('True/DestinationReady/Destination is ready');
  });
});
