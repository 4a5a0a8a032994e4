import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'kratix' });

/** The plugin's own pages (a Resource, a Promise), mounted at /kratix. */
export const pageRouteRef = createRouteRef({ id: 'kratix-page' });
