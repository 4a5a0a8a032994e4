export { ResourceHeader } from './ResourceHeader';
