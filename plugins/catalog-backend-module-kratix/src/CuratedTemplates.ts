/*
 * Which Promises a curated (hand-written) template already requests, so the provider can leave out
 * its generated one: a Template from any location but the provider's own namespace whose
 * `kratix:resource:create` step names the Promise literally (`input.promise`, by name or kind, and
 * `input.cluster` or none for the default cluster), or that names it in the annotation
 * `kratix.backstage.io/promise` (for a step whose input is an expression). Read from the catalog with
 * the module's own service credentials, one query per full run; a failed read keeps the last answer.
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KRATIX_CLUSTER_ANNOTATION,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { CREATE_ACTION } from './templateEntity';

/**
 * Names the Promise a curated template requests, when its create step's input is an expression.
 * @public
 */
export const CURATED_PROMISE_ANNOTATION = 'kratix.backstage.io/promise';

/**
 * The Promises curated templates request.
 * @public
 */
export interface CuratedTemplateLookup {
  /** Whether a curated template requests this Promise (by its name or its kind) on its cluster. */
  curatedPromises(): Promise<(promise: KratixPromiseView) => boolean>;
}

const isLiteral = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && !value.includes('${{');

const key = (cluster: string, promise: string) =>
  `${cluster}/${promise.toLocaleLowerCase('en-US')}`;

/** The `<cluster>/<promise>` keys one template requests. */
export function curatedKeysOf(
  template: Entity,
  defaultCluster: string | undefined,
): string[] {
  const keys: string[] = [];
  const annotations = template.metadata.annotations ?? {};
  const named = annotations[CURATED_PROMISE_ANNOTATION];
  const annotatedCluster =
    annotations[KRATIX_CLUSTER_ANNOTATION] || defaultCluster;
  if (isLiteral(named) && annotatedCluster) {
    keys.push(key(annotatedCluster, named));
  }
  const steps = (template.spec as { steps?: unknown })?.steps;
  for (const step of Array.isArray(steps) ? steps : []) {
    if (step?.action !== CREATE_ACTION) continue;
    const input = step.input ?? {};
    const cluster =
      input.cluster === undefined ? defaultCluster : input.cluster;
    if (isLiteral(input.promise) && isLiteral(cluster)) {
      keys.push(key(cluster, input.promise));
    }
  }
  return keys;
}

export class CuratedTemplates implements CuratedTemplateLookup {
  private last = new Set<string>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
    private readonly options: {
      /** The provider's own namespace: templates in it are the generated ones. */
      namespace: string;
      defaultCluster?: string;
    },
  ) {}

  async curatedPromises(): Promise<(promise: KratixPromiseView) => boolean> {
    try {
      const { items } = await this.catalog.getEntities(
        {
          filter: [
            { kind: 'Template', 'spec.steps.action': CREATE_ACTION },
            {
              kind: 'Template',
              [`metadata.annotations.${CURATED_PROMISE_ANNOTATION}`]:
                CATALOG_FILTER_EXISTS,
            },
          ],
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.annotations',
            'spec.steps',
          ],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      this.last = new Set(
        items
          .filter(
            t => (t.metadata.namespace ?? 'default') !== this.options.namespace,
          )
          .flatMap(t => curatedKeysOf(t, this.options.defaultCluster)),
      );
    } catch (error) {
      this.logger.warn(
        `Could not read the curated Kratix templates from the catalog; generated templates follow the last answer until the next run: ${error}`,
      );
    }
    const keys = this.last;
    return promise =>
      keys.has(key(promise.cluster, promise.name)) ||
      keys.has(key(promise.cluster, promise.kind));
  }
}
