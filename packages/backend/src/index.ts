import { createBackend } from '@backstage/backend-defaults';

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

backend.add(import('@backstage/plugin-scaffolder-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
// Replaced by the Kratix-aware policy module when the Kratix backend plugin lands.
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Search runs on the in-memory Lunr engine unless an engine module is added.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
// Signals push events to the browser (the app's storage API and live updates use it).
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
