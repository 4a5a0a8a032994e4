/*
 * The app's backend: every plugin and module it runs, in one place, so the entry point (index.ts)
 * and the benchmarks start the same backend.
 */
import { createBackend } from '@backstage/backend-defaults';

export function createAppBackend() {
  const backend = createBackend();
  // Serves the built frontend in production; in development the app runs on its own dev server.
  backend.add(import('@backstage/plugin-app-backend'));

  // Sign-in: the guest provider is for local use only (see app-config.production.yaml).
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
  // Promises, Resources and a template per Promise, from each Kratix cluster (catalog.providers.kratix).
  backend.add(import('@kratix-backstage/plugin-catalog-backend-module-kratix'));

  backend.add(import('@backstage/plugin-scaffolder-backend'));
  // kratix:resource:create and kratix:resource:wait, as the user who runs the template.
  backend.add(
    import('@kratix-backstage/plugin-scaffolder-backend-module-kratix'),
  );

  backend.add(import('@backstage/plugin-permission-backend'));
  // Owners read their Kratix Resources; team members may create them (see the module).
  backend.add(import('./modules/permissionPolicy'));

  // Search runs on PostgreSQL's engine when the database is PostgreSQL (one index shared by every
  // replica), else on the in-memory Lunr engine; pages never hint at unreadable Resources (see the module).
  backend.add(import('@backstage/plugin-search-backend'));
  backend.add(import('./modules/searchEngine'));
  backend.add(import('@backstage/plugin-search-backend-module-catalog'));
  // Kratix Resources and Promises in search, each Resource found only by those who may read it.
  backend.add(import('@kratix-backstage/plugin-search-backend-module-kratix'));

  backend.add(import('@backstage/plugin-user-settings-backend'));
  // Signals push events to the browser (the app's storage API and live updates use it).
  backend.add(import('@backstage/plugin-signals-backend'));
  // The events bus across replicas (on the database): a signal published on one replica reaches a
  // browser connected to another, so notifications arrive live whichever replica sent them.
  backend.add(import('@backstage/plugin-events-backend'));
  // Users' notifications (Kratix's Resource events among them, docs/notifications.md); signals push them live.
  backend.add(import('@backstage/plugin-notifications-backend'));

  // Kratix Resources of catalog entities, read and created as the signed-in user.
  backend.add(import('@kratix-backstage/plugin-kratix-backend'));

  // Registered actions (the Kratix plugin's: list Promises, read, create, wait) as MCP tools for AI
  // assistants at /api/mcp-actions/v1, called with the user's token (backend.actions in app-config).
  backend.add(import('@backstage/plugin-mcp-actions-backend'));

  // The sandbox platform: an emulated Kratix cluster inside the backend (kratix.sandbox in
  // app-config), supplied to the Kratix cluster service as one more cluster, named `sandbox`.
  backend.add(import('@kratix-backstage/sandbox/backend'));
  return backend;
}
