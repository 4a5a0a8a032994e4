/*
 * The location every entity of a cluster carries: `kratix-platform:<cluster>`. The read path trusts
 * an entity's links when its managed-by-location is exactly this (plugins/kratix-backend
 * linkTrust.ts), and the catalog lets only entity providers set it.
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import { KRATIX_PROVIDER_LOCATION_TYPE } from '@kratix-backstage/plugin-kratix-common';

export function providerLocation(cluster: string): string {
  return `${KRATIX_PROVIDER_LOCATION_TYPE}:${cluster}`;
}

export function locationAnnotations(cluster: string): Record<string, string> {
  const location = providerLocation(cluster);
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}
