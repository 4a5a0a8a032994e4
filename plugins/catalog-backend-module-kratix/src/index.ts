/**
 * A catalog module that keeps the catalog in step with Kratix platform clusters: an entity per
 * Promise and per Resource, and a software template per Promise.
 *
 * @packageDocumentation
 */
export { catalogModuleKratix as default } from './module';
export {
  KratixEntityProvider,
  type KratixEntityProviderOptions,
  type KratixRefreshResult,
  type OwnerLookup,
} from './KratixEntityProvider';
export type { NamedEntityResource } from './InheritedOwners';
export {
  readProviderOptions,
  DEFAULT_TEMPLATE_RULES,
  type KratixProviderOptions,
  type KratixTemplateRules,
} from './options';
export {
  CURATED_PROMISE_ANNOTATION,
  type CuratedTemplateLookup,
} from './CuratedTemplates';
export {
  KRATIX_DEPENDS_ON_ANNOTATION,
  KRATIX_OWNER_KEY,
  KRATIX_SYSTEM_KEY,
} from './ownership';
