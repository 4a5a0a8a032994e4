/*
 * Where a Resource says who owns it. Platform users set these on the Resource (kubectl, GitOps), and
 * creation through Backstage sets `kratix.backstage.io/entity-ref`. Annotations win over labels;
 * labels cannot hold `:` or `/`, so a label value is a bare name (a group, a system).
 */
import {
  KRATIX_ENTITY_REF_ANNOTATION,
  KRATIX_OWNER_ANNOTATION,
  normalizeEntityRef,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixResourceObject } from '@kratix-backstage/plugin-kratix-common';

/**
 * Label or annotation on a Resource: the owner of its entity (an entity reference; a bare name is a
 * group).
 * @public
 */
export const KRATIX_OWNER_KEY = KRATIX_OWNER_ANNOTATION;
/**
 * Label or annotation on a Resource: the system of its entity (a bare name is a system).
 * @public
 */
export const KRATIX_SYSTEM_KEY = 'kratix.backstage.io/system';
/**
 * Annotation on a Resource: entities its entity depends on, separated by commas, spaces or new lines
 * (a bare name is a component).
 * @public
 */
export const KRATIX_DEPENDS_ON_ANNOTATION = 'kratix.backstage.io/depends-on';

export interface ResourceOwnership {
  owner?: string;
  system?: string;
  dependsOn: string[];
  /** The entity the Resource was created for (full reference), whose owner owns it unless it names one. */
  entityRef?: string;
}

function read(object: KratixResourceObject, key: string): string | undefined {
  const value =
    object.metadata.annotations?.[key] ?? object.metadata.labels?.[key];
  return value?.trim() || undefined;
}

/** A reference, or undefined when it cannot be parsed (a bad annotation must not stop ingestion). */
function safeRef(ref: string | undefined, kind: string): string | undefined {
  if (!ref) return undefined;
  return normalizeEntityRef(ref, {
    defaultKind: kind,
    defaultNamespace: 'default',
  });
}

export function readOwnership(object: KratixResourceObject): ResourceOwnership {
  const dependsOn = (
    object.metadata.annotations?.[KRATIX_DEPENDS_ON_ANNOTATION] ?? ''
  )
    .split(/[\s,]+/)
    .map(ref => safeRef(ref, 'component'))
    .filter((ref): ref is string => Boolean(ref));
  return {
    owner: safeRef(read(object, KRATIX_OWNER_KEY), 'group'),
    system: safeRef(read(object, KRATIX_SYSTEM_KEY), 'system'),
    dependsOn,
    entityRef: safeRef(
      object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION],
      'component',
    ),
  };
}
