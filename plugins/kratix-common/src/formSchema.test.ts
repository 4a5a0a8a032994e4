/*
 * The one spec → form conversion (the generated templates and the tab's spec editor use it): what
 * carries over, what Kubernetes-only keywords become, and a pattern of alternatives as a choice.
 */
import { patternAlternatives, specFormSchema, titleOf } from './formSchema';

/** The marketplace Redis Promise's schema, as the sandbox seeds it. */
const redis = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: {
          type: 'string',
          default: 'small',
          description: 'Size of this Redis deployment.',
          pattern: '^(small|large)$',
        },
      },
    },
  },
};

describe('patternAlternatives', () => {
  it.each([
    ['^(small|large)$', ['small', 'large']],
    ['^(?:dev|staging|prod)$', ['dev', 'staging', 'prod']],
    ['^(v1\\.2|v1\\.3)$', ['v1.2', 'v1.3']],
    ['^(only)$', ['only']],
  ])('reads %s as a list of values', (pattern, values) => {
    expect(patternAlternatives(pattern)).toEqual(values);
    // The values are exactly what the pattern matches.
    for (const value of values)
      expect(new RegExp(pattern).test(value)).toBe(true);
  });

  it.each([
    '^small|large$', // "starts with small, or ends with large": not a list
    '^(small|large)', // unanchored end
    '(small|large)$',
    '^@(daily|weekly)$', // text outside the group
    '^(a.b|c)$', // a wildcard, not a literal
    '^([a-z]+|x)$',
    '^(a|)$', // an empty alternative
    '^(a|b)(c|d)$',
  ])('leaves %s a pattern', pattern => {
    expect(patternAlternatives(pattern)).toBeUndefined();
  });
});

describe('specFormSchema', () => {
  it('offers the Redis Promise’s size as a choice of small and large, not a pattern', () => {
    const { schema, required, described } = specFormSchema(redis, 'redis');
    expect(described).toBe(true);
    expect(required).toBe(false);
    expect(schema.title).toBe('redis spec');
    expect((schema.properties as any).size).toEqual({
      title: 'Size',
      type: 'string',
      default: 'small',
      description: 'Size of this Redis deployment.',
      enum: ['small', 'large'],
    });
  });

  it('keeps a pattern that is not a list of values, and an enum the Promise gives', () => {
    const { schema } = specFormSchema(
      {
        properties: {
          spec: {
            type: 'object',
            required: ['schedule'],
            properties: {
              schedule: { type: 'string', pattern: '^@(daily|weekly)$' },
              tier: {
                type: 'string',
                enum: ['gold'],
                pattern: '^(gold|silver)$',
              },
              // Not a string: a pattern only constrains strings, so no enum.
              anything: { pattern: '^(a|b)$' },
            },
          },
        },
      },
      'cache',
    );
    const properties = schema.properties as any;
    expect(schema.required).toEqual(['schedule']);
    expect(properties.schedule).toEqual({
      title: 'Schedule',
      type: 'string',
      pattern: '^@(daily|weekly)$',
    });
    expect(properties.tier.enum).toEqual(['gold']);
    expect(properties.anything).toEqual({
      title: 'Anything',
      pattern: '^(a|b)$',
    });
  });

  it('translates Kubernetes keywords and nests objects as sections', () => {
    const { schema } = specFormSchema(
      {
        required: ['spec'],
        properties: {
          spec: {
            properties: {
              port: { 'x-kubernetes-int-or-string': true },
              backup: {
                type: 'object',
                properties: { keep: { type: 'integer', minimum: 0 } },
              },
              extra: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
      'cache',
    );
    const properties = schema.properties as any;
    expect(properties.port).toEqual({
      title: 'Port',
      type: ['integer', 'string'],
    });
    expect(properties.backup).toEqual({
      title: 'Backup',
      type: 'object',
      properties: { keep: { title: 'Keep', type: 'integer', minimum: 0 } },
    });
    expect(properties.extra).toEqual({
      title: 'Extra',
      type: 'object',
      additionalProperties: true,
    });
    expect(properties.tags).toEqual({
      title: 'Tags',
      type: 'array',
      items: { type: 'string' },
    });
    expect(JSON.stringify(schema)).not.toContain('x-kubernetes');
  });

  it('gives a Promise that does not describe its spec a free-form object', () => {
    const result = specFormSchema(undefined, 'cache');
    expect(result).toEqual({
      schema: expect.objectContaining({
        type: 'object',
        additionalProperties: true,
      }),
      required: false,
      described: false,
    });
  });

  it('titles keys in words', () => {
    expect(titleOf('downloadURL')).toBe('Download URL');
    expect(titleOf('backup_schedule')).toBe('Backup schedule');
  });
});
