/*
 * The Git delivery the Kratix plugin gives the create flow, for the scaffolder's tests: the real
 * GitRequestWriter commits the manifest to the sandbox's Git server (credentials from a Backstage
 * `integrations.gitea` entry, as in production), and the request comes back as the ledger would
 * first record it (`pending`, its message). The ledger itself, and the forwarding from the
 * scaffolder to the Kratix plugin, are covered by the backend's integration tests.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';
import {
  GitRequestWriter,
  type KratixRequestDelivery,
  type PreparedRequest,
} from '@kratix-backstage/plugin-kratix-node';
import type { Sandbox } from '@kratix-backstage/sandbox';

export function sandboxGitDelivery(sandbox: Sandbox) {
  const git = sandbox.git;
  if (!git) throw new Error('the sandbox was started without its Git server');
  const host = new URL(git.url).host;
  const writer = GitRequestWriter.fromConfig(
    mockServices.rootConfig({
      data: {
        integrations: {
          gitea: [
            {
              host,
              baseUrl: `http://${host}`,
              username: git.username,
              password: git.token,
            },
          ],
        },
      },
    }),
    { logger: mockServices.logger.mock() },
  );
  const delivered: PreparedRequest[] = [];
  const delivery: KratixRequestDelivery = {
    async deliver(prepared) {
      const { target, delivery: to } = prepared;
      const written = await writer.write({
        mode: 'gitops',
        repository: to.repository,
        branch: to.branch,
        filePath: prepared.path,
        content: prepared.yaml,
        message: `Request ${target.promise} ${target.namespace}/${target.name}`,
        author: { name: prepared.requestedBy, email: 'guest@example.com' },
        commitUrlTemplate: to.commitUrlTemplate,
      });
      delivered.push(prepared);
      const now = new Date().toISOString();
      const view: KratixRequestView = {
        id: prepared.requestId,
        operation: 'create',
        state: 'pending',
        mode: 'gitops',
        ...target,
        requestedBy: prepared.requestedBy,
        repository: to.repository,
        branch: written.branch,
        path: prepared.path,
        commitSha: written.commitSha,
        commitUrl: written.commitUrl,
        message: `Committed ${written.commitSha.slice(0, 7)} to ${
          written.branch
        }, waiting for the platform to sync`,
        createdAt: now,
        updatedAt: now,
      };
      return view;
    },
  };
  return { delivery, delivered };
}
