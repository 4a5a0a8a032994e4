import { useState } from 'react';
import type {
  KratixDeliveryView,
  KratixRequestView,
  KratixResourceObject,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { useManagePermissions } from '../../hooks/useManagePermissions';
import { useManageResource } from '../../hooks/useManageResource';
import { usePromiseSpecSchema } from '../../hooks/usePromiseSpecSchema';
import { SpecEditorDialog } from '../SpecEditor';
import { blockedReason } from './availability';
import { ConfirmDialog } from './ConfirmDialog';
import {
  CONFIRMED_ACTIONS,
  confirmationOf,
  type ConfirmedAction,
} from './confirmations';
import { repositoryText } from './delivery';
import { ManageActions } from './ManageActions';
import { useResourceDelivery } from './useResourceDelivery';

/** What saving a spec does, in the Resource's state and delivery: said in the editor, above Save. */
function specEditNote(
  resource: KratixResourceView,
  delivery: KratixDeliveryView | undefined,
): string {
  if (delivery?.mode === 'gitops') {
    return `When you save, the new spec is committed to ${repositoryText(
      delivery,
    )}; the platform applies it when it syncs the commit${
      resource.paused ? ` (and Kratix when ${resource.name} is resumed)` : ''
    }, not at once.`;
  }
  if (delivery?.mode === 'pull-request') {
    return `When you save, a pull request against ${repositoryText(
      delivery,
    )} proposes the new spec. Nothing changes until it is merged and the platform syncs it.`;
  }
  // Unknown: the cluster may take it through Git; said after what a direct change does.
  const viaGit = delivery
    ? ''
    : ` (On a cluster delivered through Git, it becomes a commit or pull request instead, applied when the platform syncs it.)`;
  if (resource.paused) {
    return `${resource.name} is paused: the change is saved now, and Kratix applies it when it is resumed.${viaGit}`;
  }
  const blocked = blockedReason(resource);
  if (blocked) {
    return `${blocked}. The change is saved now and applied then.${viaGit}`;
  }
  return `When you save, Kratix runs the ${resource.promise} Promise’s configure workflow for ${resource.name} again, with the new spec.${viaGit}`;
}

type Dialog = ConfirmedAction | 'edit' | undefined;

/**
 * Wires the manage buttons to the permissions, the backend and the dialogs of one Resource. Every
 * action but Edit spec asks first (confirmations.ts); the spec editor is its own confirmation.
 */
export function ResourceManage(props: {
  entityRef: string;
  resource: KratixResourceView;
  /** The raw object (spec and resourceVersion), from the Resource's details. */
  object?: KratixResourceObject;
  onReloadObject: () => void;
  /** An action was delivered through Git: the request it became (pending). */
  onRequest?: (request: KratixRequestView) => void;
  /** How its changes reach the cluster (from the entity's cluster infos); read here when not given. */
  delivery?: KratixDeliveryView;
}) {
  const { entityRef, resource, object } = props;
  const delivery = useResourceDelivery(resource, props.delivery);
  const permissions = useManagePermissions(entityRef);
  const { run, pending } = useManageResource(
    entityRef,
    resource,
    props.onRequest,
  );
  const [dialog, setDialog] = useState<Dialog>();
  const schema = usePromiseSpecSchema(
    resource.cluster,
    resource.promise,
    dialog === 'edit',
  );
  const label = `${resource.kind} ${resource.namespace}/${resource.name}`;

  return (
    <>
      <ManageActions
        resource={resource}
        entityRef={entityRef}
        permissions={permissions}
        pending={pending}
        onReconcile={() => setDialog('reconcile')}
        onPause={() => setDialog('pause')}
        onResume={() => setDialog('resume')}
        onEdit={() => setDialog('edit')}
        onDelete={() => setDialog('delete')}
      />
      {CONFIRMED_ACTIONS.map(action => {
        const confirmation = confirmationOf(action, resource, delivery);
        return (
          <ConfirmDialog
            key={action}
            open={dialog === action}
            title={confirmation.title}
            confirmLabel={confirmation.confirmLabel}
            danger={confirmation.danger}
            typeToConfirm={confirmation.typeToConfirm}
            onCancel={() => setDialog(undefined)}
            onConfirm={() => {
              setDialog(undefined);
              run(action);
            }}
          >
            {confirmation.body}
          </ConfirmDialog>
        );
      })}
      <SpecEditorDialog
        open={dialog === 'edit'}
        title={`Edit the spec of ${label}`}
        spec={object?.spec ?? {}}
        resourceVersion={object?.metadata.resourceVersion}
        schema={schema.schema}
        schemaLoading={schema.loading}
        schemaError={schema.error}
        note={specEditNote(resource, delivery)}
        saving={pending === 'update'}
        onClose={() => setDialog(undefined)}
        onReloadLatest={props.onReloadObject}
        onSave={async (spec, resourceVersion) => {
          const result = await run('update', { spec, resourceVersion });
          if (result.ok) {
            setDialog(undefined);
            return undefined;
          }
          return result.error;
        }}
      />
    </>
  );
}
