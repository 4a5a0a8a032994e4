/*
 * The form's validation messages in plain words. AJV says `must match pattern "^[a-z]+$"` or
 * `must have required property 'team'`; a person filling in a spec needs "Required" or "Choose one
 * of: small, large" next to the field, never a regular expression.
 */
import type { RJSFValidationError } from '@rjsf/utils';

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'yes or no',
  object: 'a group of fields',
  array: 'a list',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map(t => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

/** One AJV error's message in plain words; undefined to keep AJV's own (none shows a regex). */
export function humanMessage(error: RJSFValidationError): string | undefined {
  const params = (error.params ?? {}) as Record<string, any>;
  switch (error.name) {
    case 'required':
      return 'Required';
    case 'pattern':
      // The field's description, shown with it, says what it expects; the expression helps nobody.
      return 'Not in the form this field accepts';
    case 'enum':
      return Array.isArray(params.allowedValues)
        ? `Choose one of: ${params.allowedValues.join(', ')}`
        : 'Choose one of the offered values';
    case 'const':
      return `Must be ${JSON.stringify(params.allowedValue)}`;
    case 'type':
      return `Must be ${typeWords(params.type)}`;
    case 'minimum':
      return `Must be at least ${params.limit}`;
    case 'maximum':
      return `Must be at most ${params.limit}`;
    case 'exclusiveMinimum':
      return `Must be more than ${params.limit}`;
    case 'exclusiveMaximum':
      return `Must be less than ${params.limit}`;
    case 'multipleOf':
      return `Must be a multiple of ${params.multipleOf}`;
    case 'minLength':
      return params.limit === 1
        ? 'Required'
        : `Must be at least ${params.limit} characters`;
    case 'maxLength':
      return `Must be at most ${params.limit} characters`;
    case 'minItems':
      return `Needs at least ${params.limit} ${
        params.limit === 1 ? 'item' : 'items'
      }`;
    case 'maxItems':
      return `Takes at most ${params.limit} ${
        params.limit === 1 ? 'item' : 'items'
      }`;
    case 'uniqueItems':
      return 'Each item must be different';
    case 'format':
      return `Not a valid ${params.format}`;
    default:
      return undefined;
  }
}

/** The form's `transformErrors`: every message in plain words, shown beside its field. */
export function humanErrors(
  errors: RJSFValidationError[],
): RJSFValidationError[] {
  return errors.map(error => {
    const message = humanMessage(error);
    if (!message) return error;
    return { ...error, message, stack: `${error.property} ${message}`.trim() };
  });
}
