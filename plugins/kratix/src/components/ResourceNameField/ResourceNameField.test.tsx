/*
 * KratixResourceNameField: the rule in words, once; a malformed name, a taken name (the backend's
 * dry-run 409) and an Unavailable Promise refused by the field's validation in plain words; and the
 * field says so while the form is filled in. The backend's answers are built as the real backend
 * sends them (its error body, through ResponseError).
 */
import { ResponseError } from '@backstage/errors';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  TestApiProvider,
  TestApiRegistry,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  CreateResourceRequest,
  CreateResourceResponse,
  KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeKratixApi } from '../../__fixtures__/FakeKratixApi';
import { kratixApiRef } from '../../api/KratixApi';
import { ResourceNameField } from './ResourceNameField';
import type { KratixResourceNameFieldOptions } from './checkName';
import { RESOURCE_NAME_RULE } from './nameRule';
import { resourceNameFieldValidation } from './validation';

const RULE =
  "Use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

const promise = (name: string, extra: Partial<KratixPromiseView> = {}) =>
  ({
    cluster: 'sandbox',
    name,
    kind: name,
    group: 'marketplace.kratix.io',
    version: 'v1alpha1',
    plural: `${name}s`,
    status: 'Available',
    conditions: [],
    ...extra,
  } as KratixPromiseView);

/** Answers as the backend does: 409 for a taken name, 200 for a dry run of a free one. */
class NameCheckApi extends FakeKratixApi {
  readonly dryRuns: CreateResourceRequest[] = [];
  constructor(private readonly taken: string[]) {
    super(async () => ({ items: [], errors: [] } as any));
    this.promises = async () => ({
      items: [
        promise('redis'),
        promise('team-database', {
          status: 'Unavailable',
          requiredPromises: ['postgresql'],
          conditions: [
            {
              type: 'RequirementsFulfilled',
              status: 'False',
              reason: 'RequirementsNotInstalled',
              message: 'Requirements not fulfilled',
            },
          ],
        }),
      ],
      clusters: [],
      errors: [],
    });
  }
  // Optional only to match the fake's signature: the field always sends the request.
  async createResource(
    request?: CreateResourceRequest,
  ): Promise<CreateResourceResponse> {
    if (!request) throw new Error('no request');
    this.dryRuns.push(request);
    if (this.taken.includes(request.name)) {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message: `redis "${request.namespace}/${request.name}" already exists`,
            },
            request: { method: 'POST', url: '/api/kratix/resources' },
            response: { statusCode: 409 },
          }),
          {
            status: 409,
            headers: { 'Content-Type': 'application/json' },
          },
        ) as any,
      );
    }
    return { dryRun: true } as CreateResourceResponse;
  }
}

const redisOptions: KratixResourceNameFieldOptions = {
  promise: 'redis',
  namespace: 'default',
  entityRefField: 'entity',
  specFields: ['size'],
};

async function validate(
  api: NameCheckApi,
  name: string,
  options: KratixResourceNameFieldOptions = redisOptions,
  formData: Record<string, any> = {
    entity: 'component:default/checkout-service',
    size: 'small',
  },
) {
  const field = createFieldValidation();
  await resourceNameFieldValidation(name, field, {
    apiHolder: TestApiRegistry.from([kratixApiRef, api]),
    formData: { ...formData, name },
    schema: {},
    uiSchema: { 'ui:options': options },
  });
  return field.__errors ?? [];
}

describe('KratixResourceNameField validation', () => {
  it('says what is wrong with a malformed name in words, never as a pattern', async () => {
    const api = new NameCheckApi([]);
    expect(RESOURCE_NAME_RULE).toBe(RULE);
    expect(await validate(api, 'My_Cache')).toEqual([
      `${RULE} (it has "M", "_", "C").`,
    ]);
    expect(await validate(api, '-cache')).toEqual([
      `${RULE} (it starts with '-').`,
    ]);
    expect(await validate(api, 'a'.repeat(64))).toEqual([
      `${RULE} (it has 64 characters).`,
    ]);
    // A malformed name asks the backend nothing.
    expect(api.dryRuns).toEqual([]);
  });

  it('refuses a name that is taken, asking with a dry run of the request the template makes', async () => {
    const api = new NameCheckApi(['example']);
    expect(await validate(api, 'example')).toEqual([
      '"example" is already taken in namespace default for redis. Choose another name.',
    ]);
    expect(await validate(api, 'my-cache')).toEqual([]);
    expect(api.dryRuns).toEqual([
      expect.objectContaining({
        promise: 'redis',
        namespace: 'default',
        name: 'example',
        spec: { size: 'small' },
        entityRef: 'component:default/checkout-service',
        dryRun: true,
      }),
      expect.objectContaining({ name: 'my-cache', dryRun: true }),
    ]);
  });

  it('reads the namespace, entity and spec from the fields the generated template names', async () => {
    const api = new NameCheckApi([]);
    await validate(
      api,
      'cache',
      {
        promise: 'redis',
        namespaceField: 'objnamespace',
        specField: 'spec',
      },
      {
        entityRef: 'component:default/shop',
        objnamespace: 'team-a',
        spec: { size: 'large' },
      },
    );
    expect(api.dryRuns).toEqual([
      expect.objectContaining({
        namespace: 'team-a',
        entityRef: 'component:default/shop',
        spec: { size: 'large' },
      }),
    ]);
  });

  it('refuses any name for an Unavailable Promise, with Kratix’s reason', async () => {
    const api = new NameCheckApi([]);
    expect(
      await validate(api, 'orders', {
        ...redisOptions,
        promise: 'team-database',
      }),
    ).toEqual([
      'The team-database Promise is Unavailable: Requirements not fulfilled; it requires postgresql. It cannot be requested until the platform team makes it Available.',
    ]);
    expect(api.dryRuns).toEqual([]);
  });
});

describe('KratixResourceNameField', () => {
  const renderField = async (
    api: NameCheckApi,
    options: KratixResourceNameFieldOptions,
    initial?: string,
  ) => {
    let value = initial;
    const onChange = jest.fn((v?: string) => {
      value = v;
    });
    const props = () =>
      ({
        onChange,
        required: true,
        schema: { title: 'Name', type: 'string' },
        rawErrors: [],
        formData: value,
        uiSchema: { 'ui:options': options },
        idSchema: { $id: 'root_name' },
        formContext: {
          formData: { entity: 'component:default/checkout-service' },
        },
      } as any);
    const view = await renderInTestApp(
      <TestApiProvider apis={[[kratixApiRef, api]]}>
        <ResourceNameField {...props()} />
      </TestApiProvider>,
    );
    const rerender = () =>
      view.rerender(
        <TestApiProvider apis={[[kratixApiRef, api]]}>
          <ResourceNameField {...props()} />
        </TestApiProvider>,
      );
    return { onChange, rerender };
  };

  it('states the rule once, and says a name is taken when the user leaves the field', async () => {
    const api = new NameCheckApi(['example']);
    const { rerender } = await renderField(api, redisOptions, 'example');
    expect(screen.getAllByText(`${RULE}.`)).toHaveLength(1);
    expect(document.body.textContent).not.toContain('^[a-z0-9]');
    await userEvent.click(screen.getByLabelText(/Name/));
    await userEvent.tab();
    rerender();
    expect(
      await screen.findByText(
        '"example" is already taken in namespace default for redis. Choose another name.',
      ),
    ).toBeInTheDocument();
    // The message replaces the rule: one message at a time.
    expect(screen.queryByText(`${RULE}.`)).not.toBeInTheDocument();
  });

  it('says at once that an Unavailable Promise cannot be requested', async () => {
    const api = new NameCheckApi([]);
    await renderField(api, { ...redisOptions, promise: 'team-database' });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'The team-database Promise is Unavailable: Requirements not fulfilled; it requires postgresql.',
      ),
    );
  });
});
