export { ResourcePanel } from './ResourcePanel';
