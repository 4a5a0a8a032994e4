/*
 * Condition helpers mirroring the two libraries Kratix uses:
 *  - Resources: cluster-api `conditions.Set` (lastTransitionTime kept only if nothing changed; sorted by type)
 *  - Promises: apimachinery `meta.SetStatusCondition` (lastTransitionTime kept while status is unchanged; order kept)
 */

export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface Condition extends ConditionInput {
  lastTransitionTime?: string;
  [key: string]: unknown;
}

/** RFC3339 with second precision, as metav1.Time serialises. */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function asConditions(value: unknown): Condition[] {
  return Array.isArray(value)
    ? (value.filter(
        c => c && typeof c === 'object' && typeof c.type === 'string',
      ) as Condition[])
    : [];
}

export function getCondition(
  status: Record<string, unknown> | undefined,
  type: string,
): Condition | undefined {
  return asConditions(status?.conditions).find(c => c.type === type);
}

/** Sets a condition on `status.conditions` in place; returns true when something changed. */
export function setCondition(
  status: Record<string, unknown>,
  condition: ConditionInput,
  style: 'resource' | 'promise' = 'resource',
): boolean {
  const conditions = asConditions(status.conditions).map(c => ({ ...c }));
  const index = conditions.findIndex(c => c.type === condition.type);
  const existing = index >= 0 ? conditions[index] : undefined;
  const sameState =
    existing &&
    existing.status === condition.status &&
    existing.reason === condition.reason &&
    existing.message === condition.message;
  if (sameState) return false;

  const keepTime =
    style === 'promise' && existing && existing.status === condition.status;
  const next: Condition = {
    ...condition,
    lastTransitionTime:
      keepTime && existing?.lastTransitionTime
        ? existing.lastTransitionTime
        : nowTime(),
  };
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
  if (style === 'resource')
    conditions.sort((a, b) => a.type.localeCompare(b.type));
  status.conditions = conditions;
  return true;
}

export function removeCondition(
  status: Record<string, unknown>,
  type: string,
): boolean {
  const conditions = asConditions(status.conditions);
  if (!conditions.some(c => c.type === type)) return false;
  status.conditions = conditions.filter(c => c.type !== type);
  return true;
}
