/**
 * The sandbox platform: an emulated Kratix platform cluster that speaks the real Kubernetes API.
 * Its Backstage backend plugin is `@kratix-backstage/sandbox/backend`; load-test data for tests and
 * benchmarks is `@kratix-backstage/sandbox/testUtils`.
 *
 * @packageDocumentation
 */
export {
  startSandbox,
  DEFAULT_PIPELINES_DIR,
  DEFAULT_SEED_DIR,
  type Sandbox,
  type SandboxOptions,
} from './sandbox';
export type {
  KubeObject,
  ObjectMeta,
  TypeHooks,
  PrinterColumn,
  StatusCause,
  WatchEventType,
  Store,
  StoreChange,
  ResourceType,
  TypeKey,
  ListOptions,
  ListResult,
  WriteOptions,
  PatchType,
  DeleteOptions,
  WatchOptions,
  WatchEvent,
} from './store';
export type { TlsOptions } from './apiserver';
export {
  AuthenticationRejected,
  type Authenticator,
  type StaticTokenUser,
  type UserInfo,
} from './auth/identity';
export type {
  RequestLog,
  RequestListener,
  RequestRecord,
} from './apiserver/requestLog';
export { createOidcAuthenticator, type OidcOptions } from './auth/oidc';
export {
  GIT_SYNC_SUSPEND_CONFIG_MAP,
  SYNCED_BY_LABEL,
  SYNCED_BY_VALUE,
  SYNCED_FROM_ANNOTATION,
  SYNCED_REPOSITORY_ANNOTATION,
  type GitSyncChange,
  type GitSyncError,
  type GitSyncResult,
  type SandboxGit,
  type SandboxGitOptions,
} from './gitops';
export type { Logger } from './kratix';
