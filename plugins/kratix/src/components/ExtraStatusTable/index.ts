export { ExtraStatusTable, isSecretKey, isUrl } from './ExtraStatusTable';
