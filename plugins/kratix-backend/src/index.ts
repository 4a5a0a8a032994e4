/**
 * The Kratix backend plugin: Kratix Resources through Backstage, authorized by the catalog.
 *
 * @packageDocumentation
 */
export { kratixPlugin as default } from './plugin';
