export { RawYaml } from './RawYaml';
