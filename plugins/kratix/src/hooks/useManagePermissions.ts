import { usePermission } from '@backstage/plugin-permission-react';
import {
  kratixResourceDeletePermission,
  kratixResourceUpdatePermission,
} from '@kratix-backstage/plugin-kratix-common';

export interface ManagePermission {
  loading: boolean;
  allowed: boolean;
}

export interface ManagePermissions {
  /** Re-run, pause, resume, edit the spec (`kratix.resource.update`). */
  update: ManagePermission;
  /** Delete (`kratix.resource.delete`). */
  delete: ManagePermission;
}

/**
 * What the signed-in user may do to the entity's Resources. Writes are decided on the catalog entity
 * (see kratix-common permissions), so the resourceRef is the entity's ref. The backend decides again
 * on every call; this only keeps buttons honest.
 */
export function useManagePermissions(entityRef: string): ManagePermissions {
  const update = usePermission({
    permission: kratixResourceUpdatePermission,
    resourceRef: entityRef,
  });
  const remove = usePermission({
    permission: kratixResourceDeletePermission,
    resourceRef: entityRef,
  });
  return {
    update: { loading: update.loading, allowed: update.allowed },
    delete: { loading: remove.loading, allowed: remove.allowed },
  };
}
