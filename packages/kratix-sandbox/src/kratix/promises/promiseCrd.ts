/*
 * The Promise's Resource API phase: the generated CRD applied (ensureCRDExists) and recorded in
 * status.kind/apiVersion, and the CRD deleted with the Promise.
 */
import type { KubeObject } from '../../store/types';
import { CRD_KEY, LABEL_PROMISE_NAME } from '../common/constants';
import { ControllerContext, typeId } from '../common/controllerContext';
import {
  generateCrd,
  getPromiseApi,
  promiseApiVersion,
  type PromiseApi,
} from './promiseApi';
import { kratixBlock, updatePromiseStatus } from './promiseStatus';
import { isNotFound, writeWithRetry } from '../common/storeUtil';

/**
 * Serves the Promise's Resource API. Returns its API, undefined when the Promise has none, or false
 * when its Resource type is not served yet (the reconcile stops there).
 */
export function syncResourceApi(
  ctx: ControllerContext,
  promise: KubeObject,
  legacy: boolean,
): PromiseApi | undefined | false {
  const name = promise.metadata.name;
  const api = getPromiseApi(promise);
  if (!api) return undefined;
  if (!applyCrd(ctx, promise)) return false;
  ctx.resourceTypes.set(typeId({ group: api.group, plural: api.plural }), name);
  const apiVersion = promiseApiVersion(api);
  updatePromiseStatus(ctx, name, status => {
    const kratix = kratixBlock(status, legacy);
    if (
      status.kind === api.kind &&
      status.apiVersion === apiVersion &&
      (legacy || (kratix.kind === api.kind && kratix.apiVersion === apiVersion))
    ) {
      return false;
    }
    status.kind = api.kind;
    status.apiVersion = apiVersion;
    if (!legacy) status.kratix = { ...kratix, kind: api.kind, apiVersion };
    return true;
  });
  return api;
}

/** Creates or updates the generated CRD; false when its Resource type is not served yet. */
function applyCrd(ctx: ControllerContext, promise: KubeObject): boolean {
  const { store, logger } = ctx;
  const crd = generateCrd(promise);
  const api = getPromiseApi(promise);
  if (!crd || !api) return false;
  if (!store.getType(CRD_KEY)) {
    logger.error(
      'the store serves no CustomResourceDefinitions; cannot install Promise APIs',
    );
    return false;
  }
  try {
    const existing = store.get(CRD_KEY, undefined, crd.metadata.name);
    if (!existing) {
      store.create(CRD_KEY, crd);
    } else {
      writeWithRetry(store, CRD_KEY, undefined, crd.metadata.name, o => {
        const before = JSON.stringify([o.spec, o.metadata.labels]);
        const spec = o.spec as Record<string, unknown>;
        const generated = crd.spec as Record<string, unknown>;
        spec.versions = generated.versions;
        if (generated.conversion) spec.conversion = generated.conversion;
        if ('preserveUnknownFields' in generated)
          spec.preserveUnknownFields = generated.preserveUnknownFields;
        o.metadata.labels = {
          ...(o.metadata.labels ?? {}),
          ...(crd.metadata.labels ?? {}),
        };
        return before !== JSON.stringify([o.spec, o.metadata.labels]);
      });
    }
  } catch (error) {
    logger.error(
      `Promise ${promise.metadata.name}: could not apply CRD ${crd.metadata.name}: ${error}`,
    );
    return false;
  }
  if (!store.getType({ group: api.group, plural: api.plural })) {
    logger.warn(
      `Promise ${promise.metadata.name}: CRD ${crd.metadata.name} is not served yet`,
    );
    return false;
  }
  return true;
}

/** Deleting a Promise deletes its CRD, and with it every Resource of that kind. */
export function deleteCrd(ctx: ControllerContext, promise: KubeObject) {
  const { store } = ctx;
  const api = getPromiseApi(promise);
  if (!api || !store.getType(CRD_KEY)) return;
  const crd = store.get(CRD_KEY, undefined, api.crdName);
  if (
    !crd ||
    crd.metadata.labels?.[LABEL_PROMISE_NAME] !== promise.metadata.name
  )
    return;
  ctx.queue.enqueue(`crd-delete:${api.crdName}`, async () => {
    try {
      store.delete(CRD_KEY, undefined, api.crdName);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    ctx.resourceTypes.delete(typeId({ group: api.group, plural: api.plural }));
  });
}
