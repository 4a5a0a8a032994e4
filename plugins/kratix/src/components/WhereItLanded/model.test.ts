import {
  WORK_NAME,
  misplacedWork,
  pendingWork,
  redisWithWorks,
  work,
} from '../../__fixtures__/works';
import { buildLandedGraph, worksAlert, worksNamedIn } from './model';

describe('worksNamedIn', () => {
  it('reads the Works Kratix lists at the end of the WorksSucceeded message', () => {
    expect(
      worksNamedIn(
        'Some works associated with this resource are not ready: [w1,w2]',
      ),
    ).toEqual(['w1', 'w2']);
    expect(worksNamedIn('Some works … misplaced: [w1 w2]')).toEqual([
      'w1',
      'w2',
    ]);
    expect(
      worksNamedIn('All works associated with this resource are ready'),
    ).toEqual([]);
  });
});

describe('worksAlert', () => {
  it('says nothing when WorksSucceeded is True', () => {
    expect(worksAlert(redisWithWorks('WorksSucceeded'), [work()])).toBe(
      undefined,
    );
  });

  it('still names a misplaced Work on a Kratix without WorksSucceeded', () => {
    const alert = worksAlert({ conditions: [] }, [misplacedWork()]);
    expect(alert?.severity).toBe('warning');
    expect(alert?.title).toBe('Some Works are misplaced');
    expect(alert?.problems.map(p => [p.work, p.destination])).toEqual([
      [WORK_NAME, 'dev-cluster'],
    ]);
  });
});

describe('buildLandedGraph', () => {
  it('links the Resource to each Work and each Work to its Destinations, or to none', () => {
    const { nodes, edges } = buildLandedGraph(
      { kind: 'redis', namespace: 'default', name: 'example' },
      [work(), { ...pendingWork(), name: 'w2', pipeline: undefined }],
    );
    expect(nodes.map(n => n.id)).toEqual([
      'resource',
      `work:default/${WORK_NAME}`,
      'destination:dev-cluster',
      'work:default/w2',
      'unplaced:default/w2',
    ]);
    expect(edges.map(e => `${e.from} ${e.label} ${e.to}`)).toEqual([
      `resource instance-configure work:default/${WORK_NAME}`,
      `work:default/${WORK_NAME} placed destination:dev-cluster`,
      'resource undefined work:default/w2',
      'work:default/w2 pending unplaced:default/w2',
    ]);
  });
});
