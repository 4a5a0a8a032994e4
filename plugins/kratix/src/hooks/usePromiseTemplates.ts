/*
 * The software templates that request a Promise's Resources: the ones the Kratix catalog module
 * generates (and any hand-written template carrying the same annotations), read as the user.
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

export function usePromiseTemplates(
  cluster: string,
  promise: string,
): PromiseTemplateLink[] {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      // Templates are few; matched on their annotations here rather than by a catalog filter.
      filter: { kind: 'Template' },
      fields: ['metadata', 'kind'],
    });
    return items
      .filter(t => {
        const annotations = t.metadata.annotations ?? {};
        const on = annotations[KRATIX_CLUSTER_ANNOTATION];
        return (
          annotations[SKE_ANNOTATION.promiseName] === promise &&
          (!on || on === cluster)
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
