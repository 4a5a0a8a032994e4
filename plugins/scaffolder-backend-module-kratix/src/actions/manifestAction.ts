/*
 * kratix:resource:manifest — writes a Kratix Resource's manifest into the task's workspace, for
 * templates that publish requests themselves (`publish:github:pull-request`,
 * `publish:gitlab:merge-request`) to the repository a GitOps agent syncs. The manifest is the one a
 * create would deliver: the create flow's `prepare` validates it exactly as a create (names,
 * bounds, the Promise's schema), decides `kratix.resource.create` on the entity as the user running
 * the template, and stamps the same annotations plus `kratix.backstage.io/request-id`; nothing is
 * sent to the cluster. A refused request writes nothing. A name already taken on the cluster is a
 * 409 as for a create: a merged file would overwrite that Resource.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyKratixPermissionRef } from '@kratix-backstage/plugin-kratix-common';
import { promiseNameOf } from '@kratix-backstage/plugin-kratix-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { KratixActionDeps } from './createResourceAction';
import { DEFAULT_NAMESPACE, targetInput } from './schemas';
import { entityKratixUrl } from './stepOutput';

/**
 * The id of the manifest action.
 *
 * @public
 */
export const MANIFEST_ACTION_ID = 'kratix:resource:manifest';

/**
 * `kratix:resource:manifest`, for backends that register actions themselves.
 *
 * @public
 */
export function createKratixManifestAction(
  deps: Pick<KratixActionDeps, 'creation' | 'clusters' | 'appBaseUrl'>,
) {
  const { creation, clusters, appBaseUrl } = deps;
  return createTemplateAction({
    id: MANIFEST_ACTION_ID,
    description:
      "Writes a Kratix Resource's manifest into the workspace, validated and authorized as kratix:resource:create would (as the user running the template), for a later step to publish to the repository a GitOps agent syncs; sends nothing to the cluster",
    supportsDryRun: true,
    examples: [
      {
        description:
          'Propose a Redis instance in a pull request to the platform requests repository',
        example: [
          'steps:',
          '  - id: manifest',
          '    action: kratix:resource:manifest',
          '    input:',
          '      promise: redis',
          '      name: ${{ parameters.name }}',
          '      entityRef: ${{ parameters.entity }}',
          '      spec:',
          '        size: ${{ parameters.size }}',
          '  - id: pr',
          '    action: publish:github:pull-request',
          '    input:',
          '      repoUrl: github.com?owner=acme&repo=platform-requests',
          '      branchName: kratix/${{ steps.manifest.output.requestId }}',
          '      title: Request redis ${{ parameters.name }}',
          '      description: Requested from Backstage',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        ...targetInput,
        spec: z =>
          z
            .record(z.unknown())
            .optional()
            .describe(
              "The Resource's spec, checked against the Promise's openAPIV3Schema",
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The catalog entity the Resource is for (e.g. `component:default/checkout-service`); the user must be allowed to create Resources for it. Omitted: a Resource for no entity (platform team only)',
            ),
        targetPath: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              "Where to write the manifest, relative to the workspace. Default: the documented request path, `<path>/<cluster>/<namespace>/<promise>/<name>.yaml`, with the cluster's `delivery.path` (`kratix-requests` when it has none)",
            ),
      },
      output: {
        path: z =>
          z.string().describe('The file written, relative to the workspace'),
        requestId: z =>
          z
            .string()
            .describe(
              "The manifest's `kratix.backstage.io/request-id`: kratix:resource:wait takes it to wait for the platform to apply the request",
            ),
        manifest: z =>
          z
            .record(z.unknown())
            .describe(
              'The manifest written (apiVersion, kind, metadata, spec)',
            ),
        resourceRef: z =>
          z
            .string()
            .describe(
              'The Resource as `<cluster>:<promise>/<namespace>/<name>`',
            ),
        entityUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The Kratix tab of the entity the Resource is for, where it shows once the platform applies it',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      // A path outside the workspace is the template's mistake, refused before anything is decided.
      const requested = input.targetPath
        ? safeTarget(ctx.workspacePath, input.targetPath)
        : undefined;
      const credentials = await ctx.getInitiatorCredentials();
      const promise = await promiseNameOf(
        clusters,
        input.cluster,
        input.promise,
      );
      const prepared = await creation.prepare(
        {
          cluster: input.cluster,
          promise,
          namespace: input.namespace ?? DEFAULT_NAMESPACE,
          name: input.name,
          spec: input.spec ?? {},
          entityRef: input.entityRef,
        },
        { credentials },
      );
      const { target, resolved, requestId } = prepared;
      const taken = await clusters.resolveResource(target).catch(error => {
        if ((error as { reason?: string }).reason === 'not-found') {
          return undefined;
        }
        throw error;
      });
      if (taken) {
        throw new ConflictError(
          `name: ${taken.kind.kind} "${target.namespace}/${target.name}" already exists on cluster ${target.cluster}; choose another name`,
        );
      }

      const relative = input.targetPath ?? prepared.path;
      const file = requested ?? safeTarget(ctx.workspacePath, relative);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, prepared.yaml, 'utf8');
      const what = `${target.promise} ${target.namespace}/${target.name} on cluster ${target.cluster}`;
      ctx.logger.info(
        `Wrote the manifest of ${resolved.kind.kind} ${what}${
          target.entityRef ? ` for ${target.entityRef}` : ''
        } to ${path.relative(
          ctx.workspacePath,
          file,
        )} (request ${requestId}); nothing was sent to the cluster`,
      );

      const resourceRef = stringifyKratixPermissionRef(target);
      const entityUrl = target.entityRef
        ? entityKratixUrl(appBaseUrl, target.entityRef, target)
        : undefined;
      ctx.output('path', path.relative(ctx.workspacePath, file));
      ctx.output('requestId', requestId);
      ctx.output('manifest', { ...resolved.object });
      ctx.output('resourceRef', resourceRef);
      if (entityUrl) ctx.output('entityUrl', entityUrl);
    },
  });
}

/** The absolute path of `relative` inside the workspace; InputError naming `targetPath` otherwise. */
function safeTarget(workspacePath: string, relative: string): string {
  try {
    const file = resolveSafeChildPath(workspacePath, relative);
    if (file === path.resolve(workspacePath)) throw new Error('the workspace');
    return file;
  } catch {
    throw new InputError(
      `targetPath: "${relative}" is not a file inside the task's workspace`,
    );
  }
}
