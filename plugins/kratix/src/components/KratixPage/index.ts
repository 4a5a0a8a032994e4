export { KratixPage } from './KratixPage';
