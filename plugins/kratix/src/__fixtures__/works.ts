/*
 * Works and placements as the backend sends them (`ResourceDetailsResponse.works`), for the
 * "Where it landed" tests; and the redis Resource with its WorksSucceeded condition set as Kratix
 * sets it (messages from github.com/syntasso/kratix @ ae170e22e974e45bb7cfda00986057e01b3ccfde,
 * internal/controller/dynamic_resource_request_controller.go, updateWorksSucceededCondition).
 */
import {
  toResourceView,
  type KratixCondition,
  type KratixDestinationView,
  type KratixResourceView,
  type KratixWorkPlacementView,
  type KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';
import { fixtureStatus, redisApi, redisObject, STATUS } from './index';

export const WORK_NAME = 'redis-example-instance-configure-5d2f1';

export function destination(
  overrides: Partial<KratixDestinationView> = {},
): KratixDestinationView {
  return {
    name: 'dev-cluster',
    found: true,
    labels: { env: 'dev' },
    stateStore: { kind: 'GitStateStore', name: 'default' },
    path: 'dev-cluster',
    strictMatchLabels: false,
    conditions: [],
    ...overrides,
  };
}

export function placement(
  overrides: Partial<KratixWorkPlacementView> = {},
): KratixWorkPlacementView {
  const dest = overrides.destination ?? destination();
  return {
    name: `${WORK_NAME}.${dest.name}-8ab2c`,
    namespace: 'kratix-platform-system',
    workloadGroupId: '5058f',
    state: 'ready',
    misplaced: false,
    destination: dest,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'WorkloadsWrittenToStateStore',
        message: 'Ready',
        lastTransitionTime: '2026-11-25T10:00:05Z',
      },
    ],
    files: ['redis-example/redis.yaml', 'redis-example/service.yaml'],
    ...overrides,
  };
}

export function work(overrides: Partial<KratixWorkView> = {}): KratixWorkView {
  return {
    name: WORK_NAME,
    namespace: 'default',
    pipeline: 'instance-configure',
    state: 'ready',
    reason: 'AllWorkplacementsScheduled',
    message: 'Ready',
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'AllWorkplacementsScheduled',
        message: 'Ready',
        lastTransitionTime: '2026-11-25T10:00:05Z',
      },
    ],
    workloadGroups: [
      {
        id: '5058f',
        directory: '.',
        files: ['redis-example/redis.yaml', 'redis-example/service.yaml'],
        destinationSelectors: [{ matchLabels: { env: 'dev' }, source: 'promise' }],
      },
    ],
    placements: [placement()],
    ...overrides,
  };
}

/** The Work after the Destination was relabelled env=prod: Kratix labels its placement misplaced. */
export function misplacedWork(): KratixWorkView {
  return work({
    state: 'misplaced',
    message: 'Misplaced',
    reason: 'WorkplacementsMisplaced',
    placements: [
      placement({
        state: 'misplaced',
        misplaced: true,
        destination: destination({ labels: { env: 'prod' } }),
      }),
    ],
  });
}

export function failingWork(): KratixWorkView {
  return work({
    state: 'failing',
    message: 'Failing',
    reason: 'WorkplacementsFailing',
    placements: [
      placement({
        state: 'failing',
        conditions: [
          {
            type: 'WriteSucceeded',
            status: 'False',
            reason: 'WorkloadsFailedWrite',
            message:
              'failed to push to git: authentication required for https://git.example/platform.git',
          },
          { type: 'Ready', status: 'False', reason: 'Failing', message: 'Failing' },
        ],
      }),
    ],
  });
}

/** No Destination carries env=staging: the Work stays Pending with no placement. */
export function pendingWork(): KratixWorkView {
  const base = work();
  return work({
    state: 'pending',
    message: 'Pending',
    reason: 'UnscheduledWorkloadGroups',
    workloadGroups: [
      {
        ...base.workloadGroups[0],
        destinationSelectors: [{ matchLabels: { env: 'staging' }, source: 'promise' }],
      },
    ],
    placements: [],
  });
}

const WORKS_STATUS = {
  WorksSucceeded: 'True',
  WorksPending: 'Unknown',
  WorksFailing: 'False',
  WorksMisplaced: 'False',
} as const;

const WORKS_MESSAGE = {
  WorksSucceeded: 'All works associated with this resource are ready',
  WorksPending: 'Some works associated with this resource are not ready',
  WorksFailing: 'Some works associated with this resource failed',
  WorksMisplaced: 'Some works associated with this resource are misplaced',
} as const;

/** The reconciled redis Resource with WorksSucceeded (and Reconciled) as Kratix sets them. */
export function redisWithWorks(
  reason: keyof typeof WORKS_MESSAGE,
  works: string[] = [],
): KratixResourceView {
  const status = fixtureStatus(STATUS.reconciled) as {
    conditions: KratixCondition[];
  };
  const worksCondition: KratixCondition = {
    type: 'WorksSucceeded',
    status: WORKS_STATUS[reason],
    reason,
    message:
      reason === 'WorksSucceeded'
        ? WORKS_MESSAGE[reason]
        : `${WORKS_MESSAGE[reason]}: [${works.join(',')}]`,
    lastTransitionTime: '2026-11-25T10:05:00Z',
  };
  const reconciled: KratixCondition =
    reason === 'WorksSucceeded'
      ? { ...status.conditions.find(c => c.type === 'Reconciled')! }
      : {
          type: 'Reconciled',
          status: reason === 'WorksPending' ? 'Unknown' : 'False',
          reason: reason === 'WorksPending' ? 'WorksPending' : 'WorksFailing',
          message: reason === 'WorksPending' ? 'Pending' : 'Failing',
          lastTransitionTime: '2026-11-25T10:05:00Z',
        };
  const conditions = status.conditions.map(c => {
    if (c.type === 'WorksSucceeded') return worksCondition;
    if (c.type === 'Reconciled') return reconciled;
    return c;
  });
  return toResourceView(redisApi, redisObject({ ...status, conditions }));
}
