/**
 * Test and benchmark helpers for the sandbox: load-test data written straight into its store, and a
 * test OpenID Connect identity provider whose tokens the sandbox's `oidc` option accepts.
 *
 * @packageDocumentation
 */
export {
  scalePromise,
  installScalePromises,
  addScaleResources,
  type ScaleRange,
} from './scale';
export {
  startTestOidcProvider,
  type TestOidcProvider,
  type TestOidcProviderOptions,
  type TestOidcTokenOptions,
} from './oidcProvider';
