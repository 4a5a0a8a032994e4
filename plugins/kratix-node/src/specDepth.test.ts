/*
 * The spec depth bound (issue 20, Low 10): a spec nested thousands of levels deep is an InputError
 * naming the field, found without recursion, before the schema is even looked at.
 */
import { InputError } from '@backstage/errors';
import { SpecValidator, tooDeepField } from './resourceRules';

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { deep: value };
  return value;
}

describe('spec depth', () => {
  it('names the first field nested too deep, and nothing within the bound', () => {
    expect(tooDeepField({ a: { b: { c: 1 } } }, 2)).toBeUndefined();
    expect(tooDeepField({ a: { b: { c: {} } } }, 2)).toBe('spec.a.b.c');
    expect(tooDeepField({ list: [[[{}]]] }, 3)).toBe('spec.list.0.0.0');
  });

  it('refuses a spec 3,000 levels deep with a 400 naming the field', () => {
    const validator = new SpecValidator(32);
    const attempt = () =>
      validator.validateSpec(undefined, {
        size: 'small',
        config: nested(3000),
      });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(
      /^spec\.config\.deep\.deep.*: nested more than 32 levels deep \(kratix\.creation\.maxSpecDepth\)$/,
    );
    expect(() =>
      validator.validateSpec(undefined, { config: nested(32) }),
    ).not.toThrow();
  });
});
