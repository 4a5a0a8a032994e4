/* Reads `catalog.providers.kratix` (see config.d.ts). */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';

/**
 * `catalog.providers.kratix`, read.
 * @public
 */
export interface KratixProviderOptions {
  /** Undefined: every configured cluster. */
  clusters?: string[];
  /** Undefined: every Promise. */
  promises?: string[];
  /** A full entity reference. */
  defaultOwner: string;
  /** A full entity reference. */
  defaultSystem?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  templates: boolean;
  /** How the generated templates are offered (`catalog.providers.kratix.templates` as an object); default DEFAULT_TEMPLATE_RULES. */
  templateRules?: KratixTemplateRules;
  /** The catalog namespace of every entity the provider writes, which no other location may use. */
  namespace: string;
  /** Resource entities carry `kratix.io/status` (public to whoever may read the entity). */
  publishStatus: boolean;
  /** Resource entities depend on their Promise's entity and the entities their Resource names. */
  dependsOn: boolean;
  /** Install the catalog's entity data parser that drops file and URL entities in `namespace`. */
  entityDataParser: boolean;
}

/**
 * How the generated templates are offered.
 * @public
 */
export interface KratixTemplateRules {
  /** No generated template for a Promise that a curated template (any other location) requests. */
  yieldToCurated: boolean;
  /** An Unavailable Promise's template: `mark` says so and its form refuses; `omit` leaves it out. */
  unavailable: 'mark' | 'omit';
  /** The kinds of entity the template's picker offers as the owner of a request. */
  ownerKinds: string[];
}

/**
 * Defaults: curated templates win, Unavailable Promises are marked, Components own requests.
 *
 * @public
 */
export const DEFAULT_TEMPLATE_RULES: KratixTemplateRules = {
  yieldToCurated: true,
  unavailable: 'mark',
  ownerKinds: ['Component'],
};

/** The default catalog namespace of the provider's entities. */
export const DEFAULT_NAMESPACE = 'kratix';

/** Catalog namespaces: DNS labels (Backstage's rule for metadata.namespace). */
const NAMESPACE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 5 },
};

/** A configured reference, normalized (a bare name is a `defaultKind` in `default`); unreadable throws. */
function configRef(key: string, value: string, defaultKind: string): string {
  const ref = normalizeEntityRef(value, {
    defaultKind,
    defaultNamespace: 'default',
  });
  if (!ref) {
    throw new Error(
      `catalog.providers.kratix.${key}: "${value}" is not an entity reference`,
    );
  }
  return ref;
}

/**
 * Reads `catalog.providers.kratix`.
 * @public
 */
export function readProviderOptions(config: Config): KratixProviderOptions {
  const c = config.getOptionalConfig('catalog.providers.kratix');
  const defaultSystem = c?.getOptionalString('defaultSystem');
  return {
    clusters: c?.getOptionalStringArray('clusters'),
    promises: c?.getOptionalStringArray('promises'),
    defaultOwner: configRef(
      'defaultOwner',
      c?.getOptionalString('defaultOwner') ?? 'kratix-platform',
      'group',
    ),
    defaultSystem: defaultSystem
      ? configRef('defaultSystem', defaultSystem, 'system')
      : undefined,
    schedule: c?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          c.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    ...readTemplates(c),
    namespace: readNamespace(c?.getOptionalString('namespace')),
    publishStatus: c?.getOptionalBoolean('publishStatus') ?? false,
    dependsOn: c?.getOptionalBoolean('dependsOn') ?? false,
    entityDataParser: c?.getOptionalBoolean('entityDataParser') ?? true,
  };
}

/** `templates`: a boolean (generate or not), or an object with `enabled` and the rules. */
function readTemplates(
  c: Config | undefined,
): Pick<KratixProviderOptions, 'templates' | 'templateRules'> {
  if (!c?.has('templates') || typeof c.get('templates') === 'boolean') {
    return {
      templates: c?.getOptionalBoolean('templates') ?? true,
      templateRules: DEFAULT_TEMPLATE_RULES,
    };
  }
  const t = c.getConfig('templates');
  const unavailable =
    t.getOptionalString('unavailable') ?? DEFAULT_TEMPLATE_RULES.unavailable;
  if (unavailable !== 'mark' && unavailable !== 'omit') {
    throw new Error(
      `catalog.providers.kratix.templates.unavailable: "${unavailable}" is not one of mark, omit`,
    );
  }
  const ownerKinds =
    t.getOptionalStringArray('ownerKinds') ?? DEFAULT_TEMPLATE_RULES.ownerKinds;
  if (ownerKinds.length === 0) {
    throw new Error(
      'catalog.providers.kratix.templates.ownerKinds: name at least one kind (a request needs an owner to pick)',
    );
  }
  return {
    templates: t.getOptionalBoolean('enabled') ?? true,
    templateRules: {
      yieldToCurated:
        t.getOptionalBoolean('yieldToCurated') ??
        DEFAULT_TEMPLATE_RULES.yieldToCurated,
      unavailable,
      ownerKinds,
    },
  };
}

function readNamespace(value: string | undefined): string {
  const namespace = value ?? DEFAULT_NAMESPACE;
  if (namespace.length > 63 || !NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(
      `catalog.providers.kratix.namespace: "${namespace}" is not a catalog namespace (lower-case letters, digits and single dashes, at most 63 characters)`,
    );
  }
  // The namespace is reserved: every entity in it from any other location is refused.
  if (namespace === 'default') {
    throw new Error(
      'catalog.providers.kratix.namespace: must not be "default": entities in it from any location other than the Kratix provider are refused',
    );
  }
  return namespace;
}
