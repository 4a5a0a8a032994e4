/*
 * Adds the Kratix packages to a freshly generated Backstage app with the lines README.md's
 * "Add to your Backstage app" section lists, taking each package from a packed tarball.
 * Usage: node addToApp.js <app dir> <tarball dir>
 */
const fs = require('node:fs');
const path = require('node:path');

const [app, tarballs] = process.argv.slice(2);
const port = process.env.VERIFY_PORT || '7077';

function editJson(file, fn) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  fn(json);
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

function insertBefore(file, marker, text) {
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes(marker)) {
    throw new Error(`${file}: "${marker}" not found`);
  }
  fs.writeFileSync(file, source.replace(marker, `${text}${marker}`));
}

// The packages are not on the registry: every range of them resolves to its tarball.
const tarballOf = {
  '@kratix-backstage/plugin-kratix-common': 'kratix-common.tgz',
  '@kratix-backstage/plugin-kratix-node': 'kratix-node.tgz',
  '@kratix-backstage/plugin-kratix-backend': 'kratix-backend.tgz',
  '@kratix-backstage/plugin-kratix': 'kratix.tgz',
  '@kratix-backstage/sandbox': 'kratix-sandbox.tgz',
};
editJson(path.join(app, 'package.json'), pkg => {
  // Not a Kratix line: keytar (the CLI's credential store) needs libsecret headers this machine may
  // lack, as in this repo's own package.json.
  pkg.dependenciesMeta = { ...pkg.dependenciesMeta, keytar: { built: false } };
  pkg.resolutions = pkg.resolutions || {};
  for (const [name, file] of Object.entries(tarballOf)) {
    pkg.resolutions[name] = `file:${path.join(tarballs, file)}`;
  }
});

// Not a Kratix line either: create-app 0.9.2 pins @backstage/backend-defaults 0.18, whose httpRouter
// lacks addWebSocketHandler, which its own signals plugin calls; the fix this repo applies too.
editJson(path.join(app, 'packages/backend/package.json'), pkg => {
  pkg.dependencies['@backstage/backend-defaults'] = '^0.19.0';
});

// README: yarn --cwd packages/backend add @kratix-backstage/plugin-kratix-backend @kratix-backstage/sandbox
editJson(path.join(app, 'packages/backend/package.json'), pkg => {
  pkg.dependencies['@kratix-backstage/plugin-kratix-backend'] = '^0.1.0';
  pkg.dependencies['@kratix-backstage/sandbox'] = '^0.1.0';
});
insertBefore(
  path.join(app, 'packages/backend/src/index.ts'),
  'backend.start();',
  `// Kratix: the backend plugin, and the sandbox platform as one more cluster
backend.add(import('@kratix-backstage/plugin-kratix-backend'));
backend.add(import('@kratix-backstage/sandbox/backend'));

`,
);

// README: yarn --cwd packages/app add @kratix-backstage/plugin-kratix
editJson(path.join(app, 'packages/app/package.json'), pkg => {
  pkg.dependencies['@kratix-backstage/plugin-kratix'] = '^0.1.0';
});
const appFile = path.join(app, 'packages/app/src/App.tsx');
insertBefore(
  appFile,
  'import { navModule }',
  "import kratixPlugin from '@kratix-backstage/plugin-kratix/alpha';\n",
);
const appSource = fs.readFileSync(appFile, 'utf8');
if (!appSource.includes('features: [catalogPlugin,')) {
  throw new Error(`${appFile}: "features: [catalogPlugin," not found`);
}
fs.writeFileSync(
  appFile,
  appSource.replace(
    'features: [catalogPlugin,',
    'features: [catalogPlugin, kratixPlugin,',
  ),
);

// README's config (kratix.sandbox), plus what the check needs: its own port and one linked entity.
const entityFile = path.join(app, 'kratix-entity.yaml');
fs.writeFileSync(
  entityFile,
  `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-service
  annotations:
    kratix.backstage.io/resources: elastic-cloud/default/example
spec:
  type: service
  lifecycle: experimental
  owner: guests
`,
);
fs.writeFileSync(
  path.join(app, 'app-config.local.yaml'),
  `backend:
  baseUrl: http://127.0.0.1:${port}
  listen:
    port: ${port}
catalog:
  locations:
    - type: file
      target: ${entityFile}
kratix:
  sandbox:
    enabled: true
`,
);
