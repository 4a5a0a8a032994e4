import type { Entity } from '@backstage/catalog-model';
import { isKratixResourceEntity } from '@kratix-backstage/plugin-kratix-common';

/**
 * Whether an entity links Kratix Resources, i.e. whether to show the Kratix tab and card.
 *
 * @public
 */
export const isKratixAvailable = (entity: Entity): boolean =>
  isKratixResourceEntity(entity);
