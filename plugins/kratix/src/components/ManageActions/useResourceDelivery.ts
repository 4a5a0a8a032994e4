import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  KratixDeliveryView,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { deliveryOf } from './delivery';

/**
 * The Resource's delivery: `given` (the entity tab has its clusters' infos), else read from the
 * cluster infos `GET /promises` sends (a Resource on its own page). Undefined while unknown, or
 * when they cannot be read: the dialogs then say what happens either way.
 */
export function useResourceDelivery(
  resource: Pick<KratixResourceView, 'cluster' | 'promise'>,
  given: KratixDeliveryView | undefined,
): KratixDeliveryView | undefined {
  const api = useApi(kratixApiRef);
  const { cluster, promise } = resource;
  const needed = given === undefined;
  const { value } = useAsync(async () => {
    if (!needed) return undefined;
    const { clusters } = await api.getPromises();
    return deliveryOf(clusters, { cluster, promise });
  }, [api, needed, cluster, promise]);
  return given ?? value;
}
