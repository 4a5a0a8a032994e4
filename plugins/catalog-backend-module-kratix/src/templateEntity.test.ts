/*
 * The generated templates: valid Template entities (the scaffolder's own validator), forms that
 * render with the scaffolder's form library, and form data that passes the form's validation carries
 * a spec the Promise's own schema accepts — for the marketplace redis and jenkins Promises (the
 * sandbox's seeded copies) and the 2023 workshop's Promise, each with its upstream example request
 * (@internal/kratix-fixtures).
 */
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { readKratixFixture } from '@internal/kratix-fixtures';
import {
  toPromiseView,
  type KratixPromiseObject,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import Form from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import { DEFAULT_SEED_DIR } from '@kratix-backstage/sandbox';
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
// Test only: the form is rendered with React as the scaffolder renders it; the module needs neither.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { createElement } from 'react';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { renderToStaticMarkup } from 'react-dom/server';
import { parse } from 'yaml';
import { templateEntity, templateParameters } from './templateEntity';

/** The marketplace Promises, verbatim, are the ones the sandbox seeds; one copy, in its seed. */
const seededPromise = (file: string) =>
  parse(fs.readFileSync(path.join(DEFAULT_SEED_DIR, 'promises', file), 'utf8'));

const cases: Array<[string, unknown, string]> = [
  [
    'redis',
    seededPromise('redis.yaml'),
    'resource-requests/marketplace-redis.yaml',
  ],
  [
    'jenkins',
    seededPromise('jenkins.yaml'),
    'resource-requests/marketplace-jenkins.yaml',
  ],
  [
    'elastic-cloud',
    readKratixFixture('promises/workshop-2023-elastic-cloud-eck-api-only.yaml'),
    'resource-requests/workshop-2023-elastic-cloud.yaml',
  ],
];

const naming = {
  cluster: 'sandbox',
  namespace: 'kratix',
  primaryCluster: 'sandbox',
};

/** The scaffolder moves `ui:*` keys out of the schema before the form sees it; so does this. */
function withoutUiKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUiKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('ui:'))
      .map(([key, v]) => [key, withoutUiKeys(v)]),
  );
}

const ajv = new Ajv({ strict: false, allErrors: true });
function promiseSpecSchema(promise: KratixPromiseView) {
  return (promise.schema as any).properties.spec;
}

describe.each(cases)('the template of %s', (_name, doc, requestFile) => {
  const promise = toPromiseView('sandbox', doc as KratixPromiseObject)!;
  const request = readKratixFixture(requestFile);
  const template = templateEntity({
    naming,
    promise,
    owner: 'group:default/kratix-platform',
  });
  const pages = templateParameters(promise).map(
    p => withoutUiKeys(p) as Record<string, any>,
  );
  const formData = {
    entityRef: 'component:default/checkout-service',
    objname: request.metadata.name,
    objnamespace: request.metadata.namespace,
    spec: request.spec,
  };

  it('is a Template entity the catalog accepts, calling kratix:resource:create', async () => {
    expect(template.kind).toBe('Template');
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    await expect(templateEntityV1beta3Validator.check(template)).resolves.toBe(
      true,
    );
    const step = (template.spec as any).steps[0];
    expect(step.action).toBe('kratix:resource:create');
    expect(step.input).toMatchObject({
      cluster: 'sandbox',
      promise: promise.name,
      spec: '${{ parameters.spec }}',
      entityRef: '${{ parameters.entityRef }}',
    });
    // The owning entity is picked among the user's own entities.
    expect(
      (template.spec as any).parameters[0].properties.entityRef['ui:field'],
    ).toBe('OwnedEntityPicker');
  });

  it('renders every page with the form library the scaffolder uses', () => {
    for (const page of pages) {
      const html = renderToStaticMarkup(
        createElement(Form, { schema: page, validator, formData }),
      );
      for (const [key, field] of Object.entries<any>(page.properties)) {
        expect(html).toContain(`id="root_${key}"`);
        for (const child of Object.keys(field.properties ?? {})) {
          expect(html).toContain(`id="root_${key}_${child}"`);
        }
      }
    }
    // The spec page shows the Promise's own descriptions.
    const specHtml = renderToStaticMarkup(
      createElement(Form, { schema: pages[1], validator, formData }),
    );
    const descriptions = Object.values<any>(
      promiseSpecSchema(promise).properties,
    )
      .map(field => field.description)
      .filter(Boolean);
    for (const description of descriptions) {
      expect(specHtml).toContain(description.trim().slice(0, 40));
    }
  });

  it('submits a spec the Promise accepts, and rejects one it does not', () => {
    for (const page of pages) {
      expect(validator.validateFormData(formData, page).errors).toEqual([]);
    }
    const accepts = ajv.compile(promiseSpecSchema(promise));
    expect(accepts(formData.spec)).toBe(true);

    // Break the first constrained field: the form and the Promise both refuse it.
    const [field, schema] = Object.entries<any>(
      promiseSpecSchema(promise).properties,
    )[0];
    const bad = {
      ...formData,
      spec: {
        ...formData.spec,
        [field]: schema.type === 'string' ? 42 : 'not-a-boolean',
      },
    };
    expect(
      validator.validateFormData(bad, pages[1]).errors.length,
    ).toBeGreaterThan(0);
    expect(accepts(bad.spec)).toBe(false);
  });

  it('fills defaults from the schema', () => {
    const spec = (pages[1].properties as any).spec;
    for (const [key, field] of Object.entries<any>(
      promiseSpecSchema(promise).properties,
    )) {
      expect(spec.properties[key].default).toEqual(field.default);
      expect(spec.properties[key].type).toEqual(field.type);
    }
  });
});

describe('form fields follow the schema', () => {
  const schema = {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'string', enum: ['small', 'large'], default: 'small' },
          replicas: {
            type: 'integer',
            minimum: 1,
            maximum: 5,
            description: 'How many',
          },
          port: { 'x-kubernetes-int-or-string': true },
          backup: {
            type: 'object',
            description: 'Backups',
            required: ['schedule'],
            properties: {
              schedule: { type: 'string', pattern: '^@(daily|weekly)$' },
              keep: { type: 'integer', minimum: 0 },
            },
          },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          extra: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    },
  };
  const promise: KratixPromiseView = {
    cluster: 'sandbox',
    name: 'cache',
    group: 'example.com',
    version: 'v1',
    kind: 'Cache',
    plural: 'caches',
    conditions: [],
    schema,
  };
  const page = withoutUiKeys(templateParameters(promise)[1]) as any;
  const spec = page.properties.spec;

  it('carries types, enums, defaults, bounds and required fields, nested objects as sections', () => {
    expect(page.required).toEqual(['spec']);
    expect(spec.required).toEqual(['size']);
    expect(spec.properties.size).toEqual({
      title: 'Size',
      type: 'string',
      enum: ['small', 'large'],
      default: 'small',
    });
    expect(spec.properties.replicas).toMatchObject({
      minimum: 1,
      maximum: 5,
      description: 'How many',
    });
    expect(spec.properties.port.type).toEqual(['integer', 'string']);
    expect(spec.properties.backup).toMatchObject({
      title: 'Backup',
      type: 'object',
      description: 'Backups',
      required: ['schedule'],
    });
    expect(spec.properties.labels.additionalProperties).toEqual({
      type: 'string',
    });
    expect(spec.properties.extra.additionalProperties).toBe(true);
    const html = renderToStaticMarkup(
      createElement(Form, { schema: page, validator, formData: {} }),
    );
    expect(html).toContain('<legend id="root_spec_backup__title"');
  });

  it('validates as the Promise does', () => {
    const good = {
      spec: {
        size: 'large',
        replicas: 3,
        port: 'http',
        backup: { schedule: '@daily' },
      },
    };
    const bad = { spec: { size: 'huge', replicas: 9, backup: {} } };
    expect(validator.validateFormData(good, page).errors).toEqual([]);
    const errors = validator
      .validateFormData(bad, page)
      .errors.map(e => e.property);
    expect(errors).toEqual(
      expect.arrayContaining([
        '.spec.size',
        '.spec.replicas',
        '.spec.backup.schedule',
      ]),
    );
    expect(ajv.compile(schema.properties.spec)(good.spec)).toBe(true);
    expect(ajv.compile(schema.properties.spec)(bad.spec)).toBe(false);
  });

  it('gives a Promise with no schema a free-form spec', () => {
    const bare = withoutUiKeys(
      templateParameters({ ...promise, schema: undefined })[1],
    ) as any;
    expect(bare.properties.spec).toMatchObject({
      type: 'object',
      additionalProperties: true,
    });
    expect(bare.required).toBeUndefined();
    expect(
      validator.validateFormData({ spec: { anything: 'goes', n: 1 } }, bare)
        .errors,
    ).toEqual([]);
  });
});

describe('what the Create page offers', () => {
  const promise: KratixPromiseView = {
    cluster: 'sandbox',
    name: 'team-database',
    group: 'sandbox.kratix.io',
    version: 'v1',
    kind: 'TeamDatabase',
    plural: 'teamdatabases',
    status: 'Available',
    conditions: [],
  };
  const unavailable: KratixPromiseView = {
    ...promise,
    status: 'Unavailable',
    requiredPromises: ['postgresql'],
    conditions: [
      { type: 'Available', status: 'False', reason: 'Unavailable' },
      {
        type: 'RequirementsFulfilled',
        status: 'False',
        reason: 'RequirementsNotInstalled',
        message: 'Requirements not fulfilled',
      },
    ],
  };
  const owner = 'group:default/kratix-platform';
  const firstPage = (t: ReturnType<typeof templateEntity>) =>
    (t.spec as any).parameters[0].properties;

  it('offers Components as owners of a request, or the configured kinds', () => {
    const picker = firstPage(
      templateEntity({ naming, promise, owner }),
    ).entityRef;
    expect(picker['ui:options']).toEqual({
      catalogFilter: [{ kind: ['Component'] }],
      defaultKind: 'Component',
    });
    const configured = firstPage(
      templateEntity({
        naming,
        promise,
        owner,
        ownerKinds: ['Component', 'API'],
      }),
    ).entityRef;
    expect(configured['ui:options'].catalogFilter).toEqual([
      { kind: ['Component', 'API'] },
    ]);
  });

  it('asks for the name with the Kratix name field, which says the rule in words, not a raw pattern', () => {
    const name = firstPage(templateEntity({ naming, promise, owner })).objname;
    expect(name['ui:field']).toBe('KratixResourceNameField');
    expect(name['ui:options']).toEqual({
      promise: 'team-database',
      cluster: 'sandbox',
      namespaceField: 'objnamespace',
      entityRefField: 'entityRef',
      specField: 'spec',
    });
    // A pattern would show the regex itself as the form's error.
    expect(name.pattern).toBeUndefined();
  });

  it('marks the template of an Unavailable Promise with the reason, and no other', async () => {
    const template = templateEntity({ naming, promise: unavailable, owner });
    expect(template.metadata.title).toBe('TeamDatabase (Unavailable)');
    expect(template.metadata.tags).toEqual([
      'kratix',
      'team-database',
      'unavailable',
    ]);
    expect(template.metadata.description).toBe(
      'Unavailable: Requirements not fulfilled; it requires postgresql. It cannot be requested until the platform team makes the team-database Promise Available. Request a TeamDatabase from the team-database Promise',
    );
    await expect(templateEntityV1beta3Validator.check(template)).resolves.toBe(
      true,
    );
    const available = templateEntity({ naming, promise, owner });
    expect(available.metadata.title).toBe('TeamDatabase');
    expect(available.metadata.tags).toEqual(['kratix', 'team-database']);
    // No status yet (an old Kratix): not known to be unavailable.
    expect(
      templateEntity({
        naming,
        promise: { ...promise, status: undefined },
        owner,
      }).metadata.tags,
    ).not.toContain('unavailable');
  });
});
