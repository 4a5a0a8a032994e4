/*
 * PolicyRule matching as the RBAC authorizer does it (plugin/pkg/auth/authorizer/rbac RuleAllows and
 * pkg/apis/rbac/v1 evaluation helpers), and rule coverage for escalation checks
 * (component-helpers/auth/rbac/validation Covers).
 */
import type { Attributes } from './attributes';
import type { PolicyRule } from './rbacTypes';

const ALL = '*';

const has = (list: readonly string[] | undefined, value: string) =>
  !!list?.includes(value);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, ALL) || has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, ALL) || has(rule.apiGroups, group);
}

/** `*`, the exact `resource[/subresource]`, or `*\/subresource`. */
export function resourceMatches(
  rule: PolicyRule,
  combinedResource: string,
  subresource: string,
): boolean {
  for (const resource of rule.resources ?? []) {
    if (resource === ALL || resource === combinedResource) return true;
    if (subresource && resource === `*/${subresource}`) return true;
  }
  return false;
}

/** No resourceNames means every name; otherwise the request must name one of them. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return !rule.resourceNames?.length || has(rule.resourceNames, name);
}

/** Exact, `*`, or a prefix ending in `*` (`/apis/*`). */
export function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith(ALL) && path.startsWith(url.replace(/\*+$/, '')))
      return true;
  }
  return false;
}

export function ruleAllows(attributes: Attributes, rule: PolicyRule): boolean {
  if (attributes.resourceRequest) {
    const combined = attributes.subresource
      ? `${attributes.resource}/${attributes.subresource}`
      : attributes.resource;
    return (
      verbMatches(rule, attributes.verb) &&
      apiGroupMatches(rule, attributes.apiGroup) &&
      resourceMatches(rule, combined, attributes.subresource) &&
      resourceNameMatches(rule, attributes.name)
    );
  }
  return (
    verbMatches(rule, attributes.verb) &&
    nonResourceUrlMatches(rule, attributes.path)
  );
}

// ---- coverage: does one set of rules grant everything another does?

/** One verb on one group/resource/name, or one verb on one URL (BreakdownRule). */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const atoms: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames)
            atoms.push({
              apiGroups: [group],
              resources: [resource],
              verbs: [verb],
              resourceNames: [name],
            });
        } else {
          atoms.push({
            apiGroups: [group],
            resources: [resource],
            verbs: [verb],
          });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs ?? [])
      atoms.push({ nonResourceURLs: [url], verbs: [verb] });
  return atoms;
}

const hasAll = (
  set: readonly string[] | undefined,
  subset: readonly string[],
) => subset.every(v => has(set, v));

function resourcesCover(owner: readonly string[] | undefined, sub: string[]) {
  if (has(owner, ALL)) return true;
  return sub.every(resource => {
    if (has(owner, resource)) return true;
    const slash = resource.indexOf('/');
    return slash >= 0 && has(owner, `*${resource.slice(slash)}`);
  });
}

function urlsCover(owner: readonly string[] | undefined, sub: string[]) {
  return sub.every(url =>
    (owner ?? []).some(
      o =>
        o === url || (o.endsWith(ALL) && url.startsWith(o.replace(/\*+$/, ''))),
    ),
  );
}

function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, ALL) || hasAll(owner.verbs, sub.verbs ?? []);
  const groups =
    has(owner.apiGroups, ALL) || hasAll(owner.apiGroups, sub.apiGroups ?? []);
  const resources = resourcesCover(owner.resources, sub.resources ?? []);
  const urls = urlsCover(owner.nonResourceURLs, sub.nonResourceURLs ?? []);
  const names = sub.resourceNames?.length
    ? !owner.resourceNames?.length ||
      hasAll(owner.resourceNames, sub.resourceNames)
    : !owner.resourceNames?.length;
  return verbs && groups && resources && urls && names;
}

/** The parts of `rules` that `owner` does not grant (empty: covered). */
export function uncoveredRules(
  owner: readonly PolicyRule[],
  rules: readonly PolicyRule[],
): PolicyRule[] {
  return rules
    .flatMap(breakdown)
    .filter(atom => !owner.some(o => ruleCovers(o, atom)));
}

/** rbacv1helpers.CompactString: `{APIGroups:["g"], Resources:["r"], Verbs:["get"]}`. */
export function compactRuleString(rule: PolicyRule): string {
  const parts: string[] = [];
  const list = (name: string, values?: string[]) => {
    if (values?.length)
      parts.push(`${name}:[${values.map(v => JSON.stringify(v)).join(' ')}]`);
  };
  list('APIGroups', rule.apiGroups);
  list('Resources', rule.resources);
  list('NonResourceURLs', rule.nonResourceURLs);
  list('ResourceNames', rule.resourceNames);
  list('Verbs', rule.verbs);
  return `{${parts.join(', ')}}`;
}
