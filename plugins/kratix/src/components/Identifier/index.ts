export { Identifier } from './Identifier';
