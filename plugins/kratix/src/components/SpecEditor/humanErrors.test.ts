/*
 * The spec editor's validation messages, produced by the form library's own validator: none shows a
 * regular expression or AJV's wording.
 */
import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { humanErrors } from './humanErrors';

const schema: RJSFSchema = {
  type: 'object',
  required: ['team'],
  properties: {
    team: { type: 'string' },
    size: { type: 'string', enum: ['small', 'large'] },
    host: { type: 'string', pattern: '^[a-z]+\\.example\\.com$' },
    replicas: { type: 'integer', minimum: 1, maximum: 5 },
    name: { type: 'string', maxLength: 3 },
  },
};

const messages = (formData: unknown) =>
  Object.fromEntries(
    validator
      .validateFormData(formData, schema, undefined, humanErrors)
      .errors.map(e => [e.property, e.message]),
  );

describe('the spec editor’s validation messages', () => {
  it('say what is wrong in plain words', () => {
    expect(
      messages({
        size: 'huge',
        host: 'x',
        replicas: 9,
        name: 'toolong',
      }),
    ).toEqual({
      // rjsf names a missing top-level field without the leading dot.
      team: 'Required',
      '.size': 'Choose one of: small, large',
      '.host': 'Not in the form this field accepts',
      '.replicas': 'Must be at most 5',
      '.name': 'Must be at most 3 characters',
    });
    expect(messages({ team: 'a', replicas: 'three' })).toEqual({
      '.replicas': 'Must be a whole number',
    });
  });

  it('never show a regular expression or AJV’s wording', () => {
    const all = validator.validateFormData(
      { size: 'huge', host: 'x', replicas: 0 },
      schema,
      undefined,
      humanErrors,
    ).errors;
    expect(all.length).toBe(4);
    for (const error of all) {
      expect(error.message).not.toMatch(/must match|\^|\$|must have required/);
      expect(error.stack).not.toMatch(/must match|\^|\$|must have required/);
    }
  });
});
