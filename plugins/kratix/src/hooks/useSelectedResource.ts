import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  parseKratixPermissionRef,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { resourceKey } from '../utils/summary';

/** The search parameter that names the open Resource, so a link opens the tab on it. */
export const RESOURCE_PARAM = 'resource';

/**
 * The key a `resource` parameter names. The tab writes keys; links from elsewhere (search results)
 * name the Resource by its `kratix-resource` ref, `<cluster>:<promise>/<namespace>/<name>`.
 */
function keyOf(param: string): string {
  const ref = parseKratixPermissionRef(param);
  return ref ? resourceKey(ref) : param;
}

/**
 * Which Resource's detail is open. The URL decides when it names one (`?resource=<key or ref>`;
 * empty: none, the user closed it); otherwise the first failed Resource opens, so trouble is shown
 * first.
 */
export function useSelectedResource(items: KratixResourceView[]): {
  selected?: string;
  select: (key: string | undefined) => void;
} {
  const [params, setParams] = useSearchParams();
  const param = params.get(RESOURCE_PARAM);
  const firstFailed = items.find(r => r.state === 'failed');
  const selected =
    param === null
      ? firstFailed && resourceKey(firstFailed)
      : (param && keyOf(param)) || undefined;

  const select = useCallback(
    (key: string | undefined) =>
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          next.set(RESOURCE_PARAM, key ?? '');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { selected, select };
}
