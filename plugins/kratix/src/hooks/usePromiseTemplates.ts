/*
 * The software templates that request a Promise's Resources, read as the user: the ones the Kratix
 * catalog module generates (and any hand-written template carrying the same annotations), and
 * curated ones, known as the catalog module knows them (CuratedTemplates.ts): a
 * `kratix:resource:create` step naming the Promise, or the `kratix.backstage.io/promise` annotation.
 */
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  KRATIX_CLUSTER_ANNOTATION,
  SKE_ANNOTATION,
} from '@kratix-backstage/plugin-kratix-common';

export interface PromiseTemplateLink {
  title: string;
  /** The Create page's form for the template. */
  path: string;
}

const NONE: PromiseTemplateLink[] = [];

/** The annotation a curated template names its Promise with (when its step's input is an expression). */
const CURATED_PROMISE_ANNOTATION = 'kratix.backstage.io/promise';
const CREATE_ACTION = 'kratix:resource:create';

/** Whether one of the template's steps creates a Resource of the Promise on the cluster. */
function createsOn(steps: unknown, cluster: string, promise: string): boolean {
  if (!Array.isArray(steps)) return false;
  return steps.some(step => {
    const { action, input } = (step ?? {}) as {
      action?: unknown;
      input?: { promise?: unknown; cluster?: unknown };
    };
    return (
      action === CREATE_ACTION &&
      input?.promise === promise &&
      (input.cluster === undefined || input.cluster === cluster)
    );
  });
}

export function usePromiseTemplates(
  cluster: string,
  promise: string,
): PromiseTemplateLink[] {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      // Templates are few; matched on their annotations here rather than by a catalog filter.
      filter: { kind: 'Template' },
      fields: ['metadata', 'kind', 'spec.steps'],
    });
    return items
      .filter(t => {
        const annotations = t.metadata.annotations ?? {};
        const on = annotations[KRATIX_CLUSTER_ANNOTATION];
        const named =
          annotations[SKE_ANNOTATION.promiseName] === promise ||
          annotations[CURATED_PROMISE_ANNOTATION] === promise;
        return (
          (named && (!on || on === cluster)) ||
          createsOn(t.spec?.steps, cluster, promise)
        );
      })
      .map(t => ({
        title: t.metadata.title ?? t.metadata.name,
        path: `/create/templates/${t.metadata.namespace ?? 'default'}/${
          t.metadata.name
        }`,
      }));
  }, [catalogApi, cluster, promise]);
  // Without templates (or when they cannot be read) the page still shows the Promise; the button is
  // just not offered.
  return value ?? NONE;
}
