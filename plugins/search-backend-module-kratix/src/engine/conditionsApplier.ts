/*
 * Applies a conditional `kratix.resource.read` decision to many Resources in one call: the step the
 * permission backend takes for each `authorize` with a resourceRef, at the permission framework's own
 * endpoint of the plugin that owns the resource type (`.well-known/backstage/permissions/
 * apply-conditions`, one item naming every ref), without running the policy again for every result.
 */
import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';

/**
 * Applies a conditional decision to resources: one result per ref, in order. What the permission
 * backend asks of the owning plugin; `conditionsApplier` is the HTTP client for it.
 */
export type ConditionsApplier = (
  decision: ConditionalPolicyDecision,
  resourceRefs: string[],
  credentials: BackstageCredentials,
) => Promise<boolean[]>;

const APPLY_CONDITIONS_PATH =
  '/.well-known/backstage/permissions/apply-conditions';

/**
 * Calls the owning plugin's apply-conditions endpoint as the permission backend does (on behalf
 * of the caller), with every ref in one item. The answer must decide each ref, or it is an error.
 */
export function conditionsApplier(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ConditionsApplier {
  const { discovery, auth } = deps;
  return async (decision, resourceRefs, credentials) => {
    if (resourceRefs.length === 0) return [];
    const baseUrl = await discovery.getBaseUrl(decision.pluginId);
    const token = auth.isPrincipal(credentials, 'none')
      ? undefined
      : (
          await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: decision.pluginId,
          })
        ).token;
    const response = await fetch(`${baseUrl}${APPLY_CONDITIONS_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({
        items: [
          {
            id: 'page',
            resourceType: decision.resourceType,
            resourceRef: resourceRefs,
            conditions: decision.conditions,
          },
        ],
      }),
    });
    if (!response.ok) {
      throw new Error(
        `${decision.pluginId} apply-conditions: HTTP ${response.status} ${(
          await response.text()
        ).slice(0, 200)}`,
      );
    }
    const body = (await response.json()) as {
      items?: Array<{ id?: unknown; result?: unknown }>;
    };
    const result = body.items?.length === 1 ? body.items[0].result : undefined;
    if (
      body.items?.[0].id !== 'page' ||
      !Array.isArray(result) ||
      result.length !== resourceRefs.length ||
      !result.every(
        r => r === AuthorizeResult.ALLOW || r === AuthorizeResult.DENY,
      )
    ) {
      throw new Error(
        `${decision.pluginId} did not decide each of ${resourceRefs.length} ${decision.resourceType} refs`,
      );
    }
    return result.map(r => r === AuthorizeResult.ALLOW);
  };
}
