/*
 * How a client reaches a running sandbox, as Kratix cluster details: its URL, its self-signed
 * certificate as the CA, and its token. The cluster supplier, the tests and the benchmarks that point
 * a cluster service at a sandbox all build them here.
 */
import type { KratixClusterDetails } from '@kratix-backstage/plugin-kratix-node';
// The main entry point's type by name, so this entry point's API names it as that one's.
import type { Sandbox } from '@kratix-backstage/sandbox';

/**
 * A sandbox as a Kratix cluster (`sandbox: true` so the UI labels it as emulated).
 *
 * @public
 */
export function sandboxClusterDetails(
  sandbox: Pick<Sandbox, 'url' | 'token' | 'certificate'>,
  overrides: Partial<KratixClusterDetails> = {},
): KratixClusterDetails {
  return {
    name: 'sandbox',
    title: 'Sandbox platform (emulated Kratix)',
    sandbox: true,
    url: sandbox.url,
    caData: sandbox.certificate
      ? Buffer.from(sandbox.certificate).toString('base64')
      : undefined,
    auth: { type: 'serviceAccount', token: sandbox.token },
    ...overrides,
  };
}
