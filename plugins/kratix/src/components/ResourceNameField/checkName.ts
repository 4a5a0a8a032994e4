/*
 * Checks a Resource's name as the form is filled in: its form (in words), whether the Promise can be
 * requested now, and whether the name is taken. "Taken" comes from a dry-run create (POST /resources
 * with dryRun, rate-limited per user): it answers 409 for a name any Resource holds, which is what
 * the real create would answer, and tells nothing else about that Resource. Whatever the dry run
 * cannot decide (no entity picked yet, a spec still to fill in, a rate limit) is left to the create.
 */
import { ResponseError } from '@backstage/errors';
import type { KratixApi } from '../../api/KratixApi';
import { unavailableMessage } from './availability';
import { nameFormatProblem } from './nameRule';

/**
 * `ui:options` of `KratixResourceNameField`: which Promise the name is for, and where in the form the
 * rest of the request is (so the check asks about the Resource the template will create).
 *
 * @public
 */
// A type, not an interface: the scaffolder's ui:options type wants an index signature.
export type KratixResourceNameFieldOptions = {
  /** The Promise, by name or kind, as the create step's `input.promise`. */
  promise: string;
  /** The platform cluster (default: the backend's default cluster). */
  cluster?: string;
  /** The Resource's namespace, when the template fixes it (default `default`). */
  namespace?: string;
  /** The form field holding the namespace, when the user picks it. */
  namespaceField?: string;
  /** The form field holding the entity the Resource is for (default `entityRef`). */
  entityRefField?: string;
  /** The form field holding the whole spec. */
  specField?: string;
  /** Form fields copied into the spec under their own names. */
  specFields?: string[];
};

/** What the check found: a problem in words, or none (`checked`: the name was confirmed free). */
export type NameCheck =
  | { ok: true; checked: boolean }
  | { ok: false; message: string };

const asString = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The Resource the template would create with this name. */
function requestOf(
  name: string,
  options: KratixResourceNameFieldOptions,
  formData: Record<string, unknown>,
) {
  const specObject = options.specField
    ? formData[options.specField]
    : undefined;
  const spec: Record<string, unknown> = {
    ...(typeof specObject === 'object' &&
    specObject !== null &&
    !Array.isArray(specObject)
      ? specObject
      : {}),
  };
  for (const field of options.specFields ?? []) {
    if (formData[field] !== undefined) spec[field] = formData[field];
  }
  return {
    cluster: options.cluster,
    promise: options.promise,
    namespace:
      options.namespace ??
      asString(options.namespaceField && formData[options.namespaceField]) ??
      'default',
    name,
    spec,
    entityRef: asString(formData[options.entityRefField ?? 'entityRef']),
  };
}

/** The name's form, then the Promise's availability, then whether the name is free. */
export async function checkResourceName(
  api: KratixApi,
  name: string,
  options: KratixResourceNameFieldOptions | undefined,
  formData: Record<string, unknown> = {},
): Promise<NameCheck> {
  const problem = nameFormatProblem(name);
  if (problem) return { ok: false, message: problem };
  if (!options?.promise) return { ok: true, checked: false };
  try {
    const unavailable = unavailableMessage(
      (await api.getPromises()).items,
      options,
    );
    if (unavailable) return { ok: false, message: unavailable };
  } catch {
    // The Promise list is a courtesy here; the create refuses an unavailable Promise itself.
  }
  const request = requestOf(name, options, formData);
  // Without an entity the dry run needs the platform team's permission: leave it to the create.
  if (!name || !request.entityRef) return { ok: true, checked: false };
  try {
    await api.createResource({ ...request, dryRun: true });
    return { ok: true, checked: true };
  } catch (error) {
    if (!ResponseError.is(error)) return { ok: true, checked: false };
    if (error.statusCode === 409) {
      return {
        ok: false,
        message: `"${name}" is already taken in namespace ${request.namespace} for ${options.promise}. Choose another name.`,
      };
    }
    // The backend's own words about the name (a rule it has that the form does not know).
    const message = error.body?.error?.message ?? '';
    if (error.statusCode === 400 && message.startsWith('name:')) {
      return { ok: false, message: message.slice('name:'.length).trim() };
    }
    return { ok: true, checked: false };
  }
}
