/* Object name rules and generateName, with Kubernetes' own wording (apimachinery validation). */
import { randomInt } from 'node:crypto';
import type { StatusCause } from './types';

const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
  "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
  "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must " +
  "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for " +
  "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function invalidName(name: string, detail: string, field: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: "${name}": ${detail}`,
  };
}

/** DNS-1123 subdomain (most kinds), optionally capped by a schema's metadata.name maxLength. */
export function validateSubdomainName(
  name: string,
  maxLength = 253,
  field = 'metadata.name',
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (name.length > maxLength) {
    causes.push(
      maxLength === 253
        ? invalidName(name, 'must be no more than 253 characters', field)
        : {
            reason: 'FieldValueTooLong',
            field,
            message: `Too long: may not be more than ${maxLength} bytes`,
          },
    );
  }
  if (!SUBDOMAIN.test(name))
    causes.push(invalidName(name, SUBDOMAIN_MESSAGE, field));
  return causes;
}

/** DNS-1123 label (namespaces). */
export function validateLabelName(
  name: string,
  field = 'metadata.name',
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (name.length > 63)
    causes.push(invalidName(name, 'must be no more than 63 characters', field));
  if (!LABEL.test(name)) causes.push(invalidName(name, LABEL_MESSAGE, field));
  return causes;
}

/** A name that is one URL path segment (apimachinery's path.IsValidPathSegmentName: RBAC kinds). */
export function validatePathSegmentName(
  name: string,
  field = 'metadata.name',
): StatusCause[] {
  if (name === '.' || name === '..')
    return [invalidName(name, `may not be '${name}'`, field)];
  return ['/', '%']
    .filter(c => name.includes(c))
    .map(c => invalidName(name, `may not contain '${c}'`, field));
}

// The alphabet of apiserver's names.SimpleNameGenerator: no vowels, no look-alike digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(base: string): string {
  const prefix = base.length > 58 ? base.slice(0, 58) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return prefix + suffix;
}

/** RFC3339 with seconds, as Kubernetes metav1.Time serialises: 2026-01-01T12:00:00Z. */
export function kubeTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
