/*
 * The `kratixApiRef` factory both frontend systems install (plugin.ts, alpha.tsx): the KratixClient
 * over the app's discovery and fetch APIs, with the ID tokens of Backstage's built-in OpenID Connect
 * sign-in providers, by provider id, for writes to clusters with `auth.type: oidc` (the same
 * providers Backstage's Kubernetes plugin forwards; every app has them, and one is asked for a token
 * only for a cluster that names it). An app with its own OIDC provider replaces this factory with
 * one that passes its auth API as well (README, "Clusters that act as each user").
 */
import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oktaAuthApiRef,
  oneloginAuthApiRef,
} from '@backstage/core-plugin-api';
import { KratixClient, kratixApiRef } from './KratixClient';

export const kratixApiFactory = createApiFactory({
  api: kratixApiRef,
  deps: {
    discoveryApi: discoveryApiRef,
    fetchApi: fetchApiRef,
    // Keyed by the provider ids `auth.oidcTokenProvider` names.
    google: googleAuthApiRef,
    microsoft: microsoftAuthApiRef,
    okta: oktaAuthApiRef,
    gitlab: gitlabAuthApiRef,
    onelogin: oneloginAuthApiRef,
  },
  factory: ({ discoveryApi, fetchApi, ...idTokenApis }) =>
    new KratixClient({ discoveryApi, fetchApi, idTokenApis }),
});
