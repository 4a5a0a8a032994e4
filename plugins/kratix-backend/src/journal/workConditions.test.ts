import { parseWorkConditionType, workConditionType } from './workConditions';

describe('work condition types', () => {
  it('reads back the object and condition type it names', () => {
    const type = workConditionType({
      kind: 'WorkPlacement',
      name: 'redis-example-instance-configure-1a2b3.dev-5058f',
      type: 'ScheduleSucceeded',
    });
    expect(type).toBe(
      'WorkPlacement redis-example-instance-configure-1a2b3.dev-5058f/ScheduleSucceeded',
    );
    expect(parseWorkConditionType(type!)).toEqual({
      kind: 'WorkPlacement',
      name: 'redis-example-instance-configure-1a2b3.dev-5058f',
      type: 'ScheduleSucceeded',
    });
  });

  it('leaves Resource conditions alone, and keeps nothing too long for the column', () => {
    expect(parseWorkConditionType('WorksSucceeded')).toBeUndefined();
    expect(parseWorkConditionType('example.com/Ready')).toBeUndefined();
    expect(
      workConditionType({ kind: 'Work', name: 'w'.repeat(320), type: 'Ready' }),
    ).toBeUndefined();
  });
});
