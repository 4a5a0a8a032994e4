/* The Kubernetes HTTP API over the object store. */
export {
  startApiServer,
  type ApiServerOptions,
  type RunningApiServer,
} from './ApiServer';
export type { TlsOptions } from './types';
export {
  kubeconfigYaml,
  writeKubeconfig,
  type KubeconfigOptions,
} from './kubeconfig';
export { SERVER_VERSION } from './discovery';
