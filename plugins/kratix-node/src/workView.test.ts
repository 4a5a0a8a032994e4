import { workView, type WorkPlacementObject } from './workView';

const ready = (message: string) => ({
  type: 'Ready',
  status: message === 'Ready' ? ('True' as const) : ('False' as const),
  reason: message,
  message,
});

const work = {
  metadata: {
    name: 'redis-example-abc12',
    namespace: 'default',
    labels: { 'kratix.io/pipeline-name': 'instance-configure' },
  },
  spec: {
    workloadGroups: [
      {
        id: 'group-1',
        directory: '.',
        workloads: [
          { filepath: 'redis.yaml', content: 'c2VjcmV0' },
          { filepath: 'configmap.yaml', content: 'c2VjcmV0' },
        ],
        destinationSelectors: [
          { matchLabels: { environment: 'dev' }, source: 'promise' },
        ],
      },
    ],
  },
  status: { conditions: [ready('Misplaced')] },
};

const placement = (
  labels: Record<string, string>,
  conditions: WorkPlacementObject['status'],
): WorkPlacementObject => ({
  metadata: {
    name: 'redis-example-abc12.dev-group',
    namespace: 'default',
    labels,
  },
  spec: {
    id: 'group-1',
    targetDestinationName: 'dev',
    workloads: work.spec.workloadGroups[0].workloads,
  },
  status: conditions,
});

describe('workView', () => {
  it('reads readiness from the Ready message and lists file paths, never contents', () => {
    const view = workView(
      work,
      [
        placement(
          { 'kratix.io/misplaced': 'true' },
          { conditions: [ready('Misplaced')] },
        ),
      ],
      name => ({
        metadata: { name, labels: { environment: 'staging' } },
        spec: {
          path: 'dev',
          stateStoreRef: { kind: 'GitStateStore', name: 'git' },
        },
      }),
    );
    expect(view.state).toBe('misplaced');
    expect(view.pipeline).toBe('instance-configure');
    expect(view.workloadGroups[0].files).toEqual([
      'configmap.yaml',
      'redis.yaml',
    ]);
    expect(view.placements[0]).toMatchObject({
      state: 'misplaced',
      misplaced: true,
      files: ['configmap.yaml', 'redis.yaml'],
      destination: {
        name: 'dev',
        found: true,
        labels: { environment: 'staging' },
        stateStore: { kind: 'GitStateStore', name: 'git' },
        path: 'dev',
      },
    });
    expect(JSON.stringify(view)).not.toContain('c2VjcmV0');
  });

  it('trusts Ready over the misplaced label, which Kratix never removes', () => {
    const view = workView(
      { ...work, status: { conditions: [ready('Ready')] } },
      [
        placement(
          { 'kratix.io/misplaced': 'true' },
          { conditions: [ready('Ready')] },
        ),
      ],
      () => undefined,
    );
    expect(view.state).toBe('ready');
    expect(view.placements[0].misplaced).toBe(false);
    expect(view.placements[0].destination).toEqual({
      name: 'dev',
      found: false,
      labels: {},
      conditions: [],
    });
  });

  it('counts a Work without a Ready condition as pending', () => {
    const view = workView({ ...work, status: {} }, [], () => undefined);
    expect(view.state).toBe('pending');
    expect(view.placements).toEqual([]);
  });
});
