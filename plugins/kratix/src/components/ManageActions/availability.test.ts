/*
 * Which manage actions can apply in which state, and the reason given when one cannot.
 */
import type { KratixResourceView } from '@kratix-backstage/plugin-kratix-common';
import { unavailableReason, type ManageButton } from './availability';

type State = Pick<
  KratixResourceView,
  'state' | 'paused' | 'promise' | 'conditions'
>;

const resource = (overrides: Partial<State>): State => ({
  state: 'ready',
  paused: false,
  promise: 'redis',
  conditions: [],
  ...overrides,
});

const BUTTONS: ManageButton[] = [
  'reconcile',
  'pause',
  'resume',
  'edit',
  'delete',
];

const reasons = (state: State) =>
  Object.fromEntries(BUTTONS.map(b => [b, unavailableReason(b, state)]));

describe('unavailableReason', () => {
  it('lets everything but Resume apply to a ready, failed or in-progress Resource', () => {
    for (const state of ['ready', 'failed', 'in-progress'] as const) {
      expect(reasons(resource({ state }))).toEqual({
        reconcile: undefined,
        pause: undefined,
        resume: 'Not paused',
        edit: undefined,
        delete: undefined,
      });
    }
  });

  it('asks to resume a paused Resource before re-running it', () => {
    expect(reasons(resource({ state: 'paused', paused: true }))).toEqual({
      reconcile: 'Paused: resume it first',
      pause: 'Already paused',
      resume: undefined,
      edit: undefined,
      delete: undefined,
    });
  });

  it('says why a blocked Resource cannot re-run', () => {
    const blocked = resource({
      state: 'blocked',
      conditions: [
        {
          type: 'PromiseAvailable',
          status: 'False',
          reason: 'PromiseRequirementsNotInstalled',
          message: 'Requirement postgres is not installed',
        },
      ],
    });
    expect(unavailableReason('reconcile', blocked)).toBe(
      'Blocked: the redis Promise is not available (Requirement postgres is not installed); Kratix runs no workflow until it is',
    );
    expect(unavailableReason('edit', blocked)).toBeUndefined();
    expect(unavailableReason('pause', blocked)).toBeUndefined();
  });

  it('treats an unavailable Promise as blocking a re-run in any state', () => {
    const waiting = resource({
      state: 'in-progress',
      conditions: [
        { type: 'PromiseAvailable', status: 'False', reason: 'Unavailable' },
      ],
    });
    expect(unavailableReason('reconcile', waiting)).toBe(
      'Blocked: the redis Promise is not available (Unavailable); Kratix runs no workflow until it is',
    );
  });

  it('leaves nothing to do on a Resource being deleted', () => {
    expect(reasons(resource({ state: 'deleting', paused: true }))).toEqual({
      reconcile: 'This Resource is being deleted',
      pause: 'This Resource is being deleted',
      resume: 'This Resource is being deleted',
      edit: 'This Resource is being deleted',
      delete: 'Deletion is already under way',
    });
  });
});
