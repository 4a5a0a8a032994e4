/*
 * The per-type table shape, shared by Tables and the WatchHub that reads it; kept apart so
 * tables.ts and watchHub.ts need not import each other.
 */
import type { KubeObject, ResourceType } from './types';

export interface TypeState {
  type: ResourceType;
  objects: Map<string, KubeObject>;
}
