/* The Kubernetes HTTP API over the object store. */
export {
  startApiServer,
  type ApiServerOptions,
  type RunningApiServer,
  type TlsOptions,
} from './ApiServer';
export {
  kubeconfigYaml,
  writeKubeconfig,
  type KubeconfigOptions,
} from './kubeconfig';
export { SERVER_VERSION } from './discovery';
