/*
 * The conditions client against a stand-in plugin: one HTTP call per page, as the caller, and an
 * error for any answer that does not decide every ref.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
} from '@backstage/plugin-permission-common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { conditionsApplier } from './conditionsApplier';

const refOf = (name: string) => `sandbox:redis/default/${name}`;

describe('conditionsApplier', () => {
  const decision: ConditionalPolicyDecision = {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'kratix',
    resourceType: 'kratix-resource',
    conditions: {
      rule: 'IS_RESOURCE_OWNER',
      resourceType: 'kratix-resource',
      params: { claims: ['group:default/team-search'] },
    },
  };
  const refs = [refOf('r-0'), refOf('r-1'), refOf('r-2')];
  let server: http.Server;
  let answer: (body: any) => { status: number; body: unknown };
  const received: Array<{ url?: string; authorization?: string; body: any }> =
    [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        const body = JSON.parse(text);
        received.push({
          url: req.url,
          authorization: req.headers.authorization,
          body,
        });
        const { status, body: out } = answer(body);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => (received.length = 0));

  const apply = () => {
    const { port } = server.address() as AddressInfo;
    return conditionsApplier({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      }),
      auth: mockServices.auth(),
    })(decision, refs, mockCredentials.user('user:default/guest'));
  };

  it("asks the owning plugin once, as the caller, with the policy's conditions and every ref", async () => {
    answer = body => ({
      status: 200,
      body: {
        items: [{ id: body.items[0].id, result: ['ALLOW', 'DENY', 'ALLOW'] }],
      },
    });
    await expect(apply()).resolves.toEqual([true, false, true]);
    expect(received).toHaveLength(1);
    expect(received[0].url).toBe(
      '/api/kratix/.well-known/backstage/permissions/apply-conditions',
    );
    expect(received[0].authorization).toMatch(/^Bearer .+/);
    expect(received[0].body.items).toEqual([
      {
        id: expect.any(String),
        resourceType: 'kratix-resource',
        resourceRef: refs,
        conditions: decision.conditions,
      },
    ]);
  });

  it('fails when the answer does not decide every ref', async () => {
    answer = body => ({
      status: 200,
      body: { items: [{ id: body.items[0].id, result: ['ALLOW', 'ALLOW'] }] },
    });
    await expect(apply()).rejects.toThrow('did not decide each of 3');
    answer = body => ({
      status: 200,
      body: { items: [{ id: body.items[0].id, result: 'ALLOW' }] },
    });
    await expect(apply()).rejects.toThrow('did not decide each of 3');
  });

  it('fails when the plugin refuses', async () => {
    answer = () => ({ status: 400, body: { error: { message: 'no' } } });
    await expect(apply()).rejects.toThrow('kratix apply-conditions: HTTP 400');
  });
});
