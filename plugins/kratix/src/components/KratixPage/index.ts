export { KratixPage, KratixLegacyPage } from './KratixPage';
