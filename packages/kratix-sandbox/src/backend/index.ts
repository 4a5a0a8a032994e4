export { kratixSandboxPlugin } from './sandboxPlugin';
export {
  kratixSandboxServiceRef,
  type KratixSandboxService,
} from './sandboxService';
