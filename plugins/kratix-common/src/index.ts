/**
 * Types, annotations, permissions and status interpretation shared by the Kratix plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './annotations';
export * from './permissions';
export * from './status';
export * from './view';
export * from './api';
export * from './promise';
export * from './requests';
export * from './search';
export * from './entityRefs';
export * from './links';
export * from './formSchema';
export * from './logs';
export * from './delivery';
