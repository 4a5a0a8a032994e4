import type { Entity } from '@backstage/catalog-model';
import { isKratixResourceEntity } from '@kratix-backstage/plugin-kratix-common';

/**
 * Kinds Resources are requested for (the templates' entity picker offers these): their tab shows
 * what was requested for them, confirmed by the platform, even with no annotation.
 */
const REQUESTING_KINDS = ['component'];

/**
 * Whether to show the Kratix tab: the entity links Kratix Resources by annotation, or it is of a
 * kind Resources are requested for (a Component), whose platform-confirmed Resources show up on
 * its tab without anyone editing its annotations.
 *
 * @public
 */
export const isKratixAvailable = (entity: Entity): boolean =>
  isKratixResourceEntity(entity) ||
  REQUESTING_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));
