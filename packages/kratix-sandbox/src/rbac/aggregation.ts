/*
 * The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets, as its rules,
 * the rules of every other ClusterRole matching one of its clusterRoleSelectors (by name, each rule
 * once), kept up to date as ClusterRoles come, change and go. Bootstrap `admin`, `edit` and `view`
 * are built this way, as any ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-view` adds
 * to `view`.
 */
import { jsonEqual } from '../store/jsonEqual';
import type { KubeObject, Store } from '../store/types';
import {
  CLUSTER_ROLE_KEY,
  type LabelSelector,
  type PolicyRule,
  type RoleObject,
} from './rbacTypes';

/** metav1.LabelSelectorAsSelector: an empty selector matches everything. */
export function labelSelectorMatches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ??
    []) {
    const present = key in labels;
    switch (operator) {
      case 'In':
        if (!present || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The rules `role` aggregates from `all` (syncClusterRole), or undefined if it has no aggregationRule. */
export function aggregatedRules(
  role: RoleObject,
  all: RoleObject[],
): PolicyRule[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors) return undefined;
  const rules: PolicyRule[] = [];
  for (const selector of selectors) {
    const matching = all
      .filter(
        other =>
          other.metadata.name !== role.metadata.name &&
          labelSelectorMatches(selector, other.metadata.labels ?? {}),
      )
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const other of matching) {
      for (const rule of other.rules ?? []) {
        if (!rules.some(r => jsonEqual(r, rule))) rules.push(rule);
      }
    }
  }
  return rules;
}

/** One pass over every aggregated ClusterRole; true when one changed. */
function syncPass(store: Store): boolean {
  const all = store.list(CLUSTER_ROLE_KEY).items as RoleObject[];
  let changed = false;
  for (const role of all) {
    const rules = aggregatedRules(role, all);
    if (!rules || jsonEqual(rules, role.rules ?? [])) continue;
    const next = structuredClone(role) as KubeObject;
    next.rules = structuredClone(rules);
    try {
      store.update(CLUSTER_ROLE_KEY, next);
      changed = true;
    } catch {
      // Changed or deleted meanwhile: the change that did it syncs again.
    }
  }
  return changed;
}

/**
 * Until nothing changes: aggregated roles can aggregate each other (view into edit into admin), and
 * one pass reads the others as they were before it. Bounded, should roles aggregate in a cycle.
 */
function syncAll(store: Store): void {
  for (let pass = 0; pass < 10; pass++) if (!syncPass(store)) return;
}

const running = new WeakMap<Store, () => void>();

/** Starts the controller on `store` (once per store); returns its stop function. */
export function startClusterRoleAggregation(store: Store): () => void {
  const existing = running.get(store);
  if (existing) return existing;
  syncAll(store);
  const unsubscribe = store.subscribe(change => {
    const { group, plural } = change.resourceType;
    if (group === CLUSTER_ROLE_KEY.group && plural === CLUSTER_ROLE_KEY.plural)
      syncAll(store);
  });
  const stop = () => {
    unsubscribe();
    running.delete(store);
  };
  running.set(store, stop);
  return stop;
}
