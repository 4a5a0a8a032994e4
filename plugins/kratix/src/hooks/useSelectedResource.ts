import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  KRATIX_RESOURCE_PARAM,
  parseKratixResourceKey,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { resourceKey } from '../utils/summary';

/** How many Resources the tab opens by default: few enough that each detail is read, not skimmed. */
export const DEFAULT_EXPAND_UP_TO = 2;

/**
 * The key a `resource` parameter names. Links are built by kratix-common's kratixEntityTabPath;
 * parseKratixResourceKey also reads the permission-ref form
 * (`<cluster>:<promise>/<namespace>/<name>`) older search results and task outputs carry.
 */
function keyOf(param: string): string {
  const ref = parseKratixResourceKey(param);
  return ref ? resourceKey(ref) : param;
}

/**
 * Which Resources' details are open. The URL decides when it names any (`?resource=<key>`, repeated
 * for several; empty: none, the user closed them). Otherwise, with at most `expandUpTo` Resources
 * every one opens (nothing to choose between), and with more the first failed one opens, so
 * trouble is shown first.
 */
export function useSelectedResource(
  items: KratixResourceView[],
  expandUpTo: number = DEFAULT_EXPAND_UP_TO,
): {
  open: ReadonlySet<string>;
  toggle: (key: string) => void;
} {
  const [params, setParams] = useSearchParams();
  const values = params.getAll(KRATIX_RESOURCE_PARAM);
  const fromUrl =
    values.length > 0 ? values.filter(Boolean).map(keyOf) : undefined;
  const fewKeys =
    items.length <= expandUpTo ? items.map(resourceKey).join('\n') : undefined;
  const firstFailed = items.find(r => r.state === 'failed');
  const fallback = fewKeys ?? (firstFailed ? resourceKey(firstFailed) : '');
  const urlKey = fromUrl?.join('\n');
  const open = useMemo(
    () =>
      new Set((urlKey ?? fallback).split('\n').filter(key => key.length > 0)),
    [urlKey, fallback],
  );

  const toggle = useCallback(
    (key: string) => {
      const next = new Set(open);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      setParams(
        previous => {
          const updated = new URLSearchParams(previous);
          updated.delete(KRATIX_RESOURCE_PARAM);
          if (next.size === 0) updated.set(KRATIX_RESOURCE_PARAM, '');
          for (const k of next) updated.append(KRATIX_RESOURCE_PARAM, k);
          return updated;
        },
        { replace: true },
      );
    },
    [open, setParams],
  );
  return { open, toggle };
}
