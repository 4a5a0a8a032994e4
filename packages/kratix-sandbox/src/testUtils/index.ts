/**
 * Test and benchmark helpers for the sandbox: load-test data written straight into its store, and a
 * test OpenID Connect identity provider whose tokens the sandbox's `oidc` option accepts, and a
 * stand-in forge (GitHub or GitLab API shapes, Git pushes passed through to the sandbox's Git server).
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
export {
  startLoopbackForge,
  type ApiAnswer,
  type GitRequestInfo,
  type LoopbackForge,
  type LoopbackForgeOptions,
  type RecordedApiCall,
} from './loopbackForge';
