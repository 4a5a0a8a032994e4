import { useState } from 'react';
import type {
  KratixResourceObject,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { useManagePermissions } from '../../hooks/useManagePermissions';
import { useManageResource } from '../../hooks/useManageResource';
import { usePromiseSpecSchema } from '../../hooks/usePromiseSpecSchema';
import { SpecEditorDialog } from '../SpecEditor';
import { ConfirmDialog } from './ConfirmDialog';
import { ManageActions } from './ManageActions';

type Dialog = 'pause' | 'delete' | 'edit' | undefined;

/** Wires the manage buttons to the permissions, the backend and the dialogs of one Resource. */
export function ResourceManage(props: {
  entityRef: string;
  resource: KratixResourceView;
  /** The raw object (spec and resourceVersion), from the Resource's details. */
  object?: KratixResourceObject;
  onReloadObject: () => void;
}) {
  const { entityRef, resource, object } = props;
  const permissions = useManagePermissions(entityRef);
  const { run, pending } = useManageResource(entityRef, resource);
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
        onReconcile={() => run('reconcile')}
        onPause={() => setDialog('pause')}
        onResume={() => run('resume')}
        onEdit={() => setDialog('edit')}
        onDelete={() => setDialog('delete')}
      />
      <ConfirmDialog
        open={dialog === 'pause'}
        title={`Pause ${label}?`}
        confirmLabel="Pause"
        onCancel={() => setDialog(undefined)}
        onConfirm={() => {
          setDialog(undefined);
          run('pause');
        }}
      >
        Kratix stops reconciling it (label kratix.io/paused): spec changes and
        re-runs wait until it is resumed. What it already created keeps running.
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete ${label}?`}
        confirmLabel="Delete"
        danger
        onCancel={() => setDialog(undefined)}
        onConfirm={() => {
          setDialog(undefined);
          run('delete');
        }}
      >
        Kratix runs the Promise’s delete workflow and removes what it created
        for {resource.name} on {resource.cluster}. This cannot be undone.
      </ConfirmDialog>
      <SpecEditorDialog
        open={dialog === 'edit'}
        title={`Edit the spec of ${label}`}
        spec={object?.spec ?? {}}
        resourceVersion={object?.metadata.resourceVersion}
        schema={schema.schema}
        schemaLoading={schema.loading}
        schemaError={schema.error}
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
