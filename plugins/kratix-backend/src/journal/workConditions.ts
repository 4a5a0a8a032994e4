/*
 * A Work's or WorkPlacement's condition transitions are kept in the Resource's journal, under a
 * condition type that names the object: `Work <name>/<type>`. Kubernetes names hold no spaces or
 * slashes, so the name and the condition type read back unambiguously.
 */

/** The journal's condition_type column holds this many characters. */
const MAX_CONDITION_TYPE = 316;

export interface WorkCondition {
  kind: 'Work' | 'WorkPlacement';
  name: string;
  type: string;
}

/** The journal's condition type for one of a Work's conditions; undefined when too long to keep. */
export function workConditionType(
  condition: WorkCondition,
): string | undefined {
  const key = `${condition.kind} ${condition.name}/${condition.type}`;
  return key.length <= MAX_CONDITION_TYPE ? key : undefined;
}

export function parseWorkConditionType(
  conditionType: string,
): WorkCondition | undefined {
  const match = /^(Work|WorkPlacement) ([^ /]+)\/(.+)$/.exec(conditionType);
  if (!match) return undefined;
  return {
    kind: match[1] as WorkCondition['kind'],
    name: match[2],
    type: match[3],
  };
}
