/*
 * Entry point: starts the emulated Kratix controllers against a Store. They react to store
 * changes (subscribe) and to objects that already exist, and run pipelines as local scripts.
 */
import type { KubeObject, Store } from '../store/types';
import fs from 'node:fs';
import path from 'node:path';
import { jsonEqual } from '../store/jsonEqual';
import {
  CRD_KEY,
  LABEL_PROMISE_NAME,
  LABEL_RESOURCE_NAME,
  PROMISE_KEY,
} from './common/constants';
import {
  createPrivateWorkDir,
  ensureWorkDir,
} from './runner/pipelineWorkspace';
import { LABEL_WORK, Scheduler } from './scheduling/scheduler';
import {
  DESTINATION_KEY,
  WORK_KEY,
  WORKPLACEMENT_KEY,
  registerSchedulingTypes,
} from './scheduling/schedulingTypes';
import { StateStoreWriter } from './scheduling/stateStore';
import { eventRecorder } from './scheduling/schedulingEvents';
import { DestinationController } from './scheduling/destinationController';
import { ControllerContext, typeId } from './common/controllerContext';
import { PipelineRunner } from './runner/pipelineRunner';
import { startProcessWatchdog } from './runner/processWatchdog';
import { PipelinePods } from './workflows/pipelinePods';
import { PromiseController } from './promises/promiseController';
import { registerPromiseType } from './promises/promiseType';
import { ResourceController } from './resources/resourceController';
import { KeyedQueue } from './common/workQueue';
import type { Logger } from './workflows/workflowRun';

export interface KratixEmulatorOptions {
  /** Folder of local executables standing in for pipeline images (see imageResolver.ts). */
  pipelinesDir: string;
  /**
   * Where per-run temp dirs (input/, output/, metadata/) are created (made 0700 when missing).
   * Default: a new private folder in the OS temp folder (mkdtemp, 0700), removed on stop.
   */
  workDir?: string;
  /** The emulated state store: a folder per Destination; default `state-store` under workDir. */
  stateStoreDir?: string;
  /** Minimum duration of each pipeline, so clients can observe in-progress states. */
  stepDelayMs: number;
  /** A pipeline run still going after this long is killed and reported failed; default: no limit. */
  pipelineTimeoutMs?: number;
  /** More environment for every pipeline script. */
  pipelineEnv?: Record<string, string>;
  /** Old pipeline Jobs (and their Pods) kept per pipeline of an object; Kratix's default is 5. */
  jobsToKeep?: number;
  logger?: Logger;
}

export interface KratixEmulator {
  /** Stops reacting to changes and kills running pipeline scripts. */
  stop(): Promise<void>;
  /**
   * The synchronous part of stop(): stops the controllers, kills every pipeline process group and
   * removes their workspaces. For a process 'exit' handler, where nothing asynchronous runs.
   */
  kill(): void;
  /** Resolves when no reconcile or workflow is running or queued. */
  idle(): Promise<void>;
  /** The work folder in use: the given one, or the private one made for this emulator. */
  readonly workDir: string;
  /** The pipeline Pods' container logs, for the API server's pods/log. */
  readonly pods: PipelinePods;
}

const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

export function startKratixEmulator(
  store: Store,
  options: KratixEmulatorOptions,
): KratixEmulator {
  const logger = options.logger ?? silentLogger;
  let stopped = false;
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  // Removed on stop only when made here: a given folder is the caller's.
  const ownWorkDir =
    options.workDir === undefined ? createPrivateWorkDir() : undefined;
  const workDir = ownWorkDir ?? ensureWorkDir(options.workDir!);
  // Should this process die unannounced (SIGKILL), the watchdog kills the scripts and the work dir.
  const watchdog = startProcessWatchdog(ownWorkDir);
  const runner = new PipelineRunner({
    pipelinesDir: options.pipelinesDir,
    workDir,
    timeoutMs: options.pipelineTimeoutMs,
    env: options.pipelineEnv,
    onProcessGroup: (pgid, alive) => watchdog.track(pgid, alive),
  });
  const pods = new PipelinePods(store);
  const queue = new KeyedQueue((key, error) =>
    logger.error(`reconcile ${key} failed: ${error}`),
  );

  const ctx: ControllerContext = {
    store,
    queue,
    runner,
    logger,
    stepDelayMs: options.stepDelayMs,
    pods,
    jobsToKeep: options.jobsToKeep,
    resourceTypes: new Map(),
    isStopped: () => stopped,
    sleep: ms =>
      new Promise<void>(resolve => {
        if (stopped) {
          resolve();
          return;
        }
        const entry = {
          resolve,
          timer: setTimeout(() => {
            timers.delete(entry);
            resolve();
          }, ms),
        };
        timers.add(entry);
      }),
  };
  const resources = new ResourceController(ctx);
  const promises = new PromiseController(ctx, resources);

  registerPromiseType(store);
  registerSchedulingTypes(store);
  const record = eventRecorder(store, logger);
  const scheduler = new Scheduler(store, record);
  const stateStore = new StateStoreWriter(
    store,
    options.stateStoreDir ?? path.join(workDir, 'state-store'),
    record,
  );
  const scheduleWork = (namespace: string, name: string) =>
    queue.enqueue(`work:${namespace}/${name}`, async () =>
      scheduler.reconcileWork(namespace, name),
    );
  const destinations = new DestinationController(store, record);
  const reconcileDestination = (name: string) =>
    queue.enqueue(`destination:${name}`, async () =>
      destinations.reconcile(name),
    );
  const writePlacement = (namespace: string, name: string) =>
    queue.enqueue(`workplacement:${namespace}/${name}`, async () =>
      stateStore.write(namespace, name),
    );

  const unsubscribe = store.subscribe(change => {
    if (stopped) return;
    const id = typeId(change.resourceType);
    if (id === typeId(PROMISE_KEY)) {
      promises.handleChange(change);
      return;
    }
    if (id === typeId(CRD_KEY)) {
      trackCrd(change.object, change.type === 'DELETED');
      return;
    }
    if (id === typeId(WORK_KEY)) {
      const { namespace = '', name } = change.object.metadata;
      // Status-only writes are the scheduler's own: reacting to them would loop.
      if (
        change.type !== 'DELETED' &&
        (!change.previous ||
          !jsonEqual(change.previous.spec, change.object.spec))
      )
        scheduleWork(namespace, name);
      const labels = change.object.metadata.labels ?? {};
      if (labels[LABEL_PROMISE_NAME] && labels[LABEL_RESOURCE_NAME])
        resources.refreshWorks(
          labels[LABEL_PROMISE_NAME],
          namespace,
          labels[LABEL_RESOURCE_NAME],
        );
      return;
    }
    if (id === typeId(WORKPLACEMENT_KEY)) {
      const { namespace = '', name, labels = {} } = change.object.metadata;
      if (change.type === 'DELETED') stateStore.remove(change.object);
      else if (
        !change.previous ||
        !jsonEqual(change.previous.spec, change.object.spec) ||
        !jsonEqual(change.previous.metadata.labels, labels)
      )
        writePlacement(namespace, name);
      // The Work controller owns WorkPlacements.
      if (labels[LABEL_WORK]) scheduleWork(namespace, labels[LABEL_WORK]);
      return;
    }
    if (id === typeId(DESTINATION_KEY)) {
      const { previous, object } = change;
      // Its status is the Destination controller's own write: nothing to react to.
      if (
        previous &&
        change.type === 'MODIFIED' &&
        jsonEqual(previous.spec, object.spec) &&
        jsonEqual(previous.metadata.labels, object.metadata.labels) &&
        jsonEqual(previous.metadata.annotations, object.metadata.annotations) &&
        previous.metadata.deletionTimestamp ===
          object.metadata.deletionTimestamp
      )
        return;
      if (change.type !== 'DELETED') reconcileDestination(object.metadata.name);
      // Every Work is reconciled again; placements on it are rewritten (health may have changed).
      for (const work of store.list(WORK_KEY).items)
        scheduleWork(work.metadata.namespace ?? '', work.metadata.name);
      for (const wp of store.list(WORKPLACEMENT_KEY).items)
        if (
          (wp.spec as any)?.targetDestinationName ===
          change.object.metadata.name
        )
          writePlacement(wp.metadata.namespace ?? '', wp.metadata.name);
      return;
    }
    const promiseName = ctx.resourceTypes.get(id);
    if (promiseName) resources.handleChange(change, promiseName);
  });

  /** Kratix-generated CRDs (label kratix.io/promise-name) tell us which kinds are Resources. */
  function trackCrd(crd: KubeObject, deleted: boolean) {
    const promiseName = crd.metadata.labels?.[LABEL_PROMISE_NAME];
    const spec = crd.spec as
      | { group?: string; names?: { plural?: string } }
      | undefined;
    if (!promiseName || !spec?.group || !spec.names?.plural) return;
    const id = typeId({ group: spec.group, plural: spec.names.plural });
    if (deleted) ctx.resourceTypes.delete(id);
    else ctx.resourceTypes.set(id, promiseName);
  }

  // Objects that existed before we started.
  if (store.getType(CRD_KEY))
    store.list(CRD_KEY).items.forEach(crd => trackCrd(crd, false));
  for (const promise of store.list(PROMISE_KEY).items)
    promises.enqueue(promise.metadata.name);
  for (const work of store.list(WORK_KEY).items)
    scheduleWork(work.metadata.namespace ?? '', work.metadata.name);
  for (const destination of store.list(DESTINATION_KEY).items)
    reconcileDestination(destination.metadata.name);
  // A private state store starts empty: write what restored placements hold, as Kratix would.
  if (ownWorkDir && !options.stateStoreDir)
    for (const wp of store.list(WORKPLACEMENT_KEY).items)
      writePlacement(wp.metadata.namespace ?? '', wp.metadata.name);

  const removeOwnWorkDir = () => {
    if (ownWorkDir)
      fs.rmSync(ownWorkDir, { recursive: true, force: true, maxRetries: 3 });
  };

  function kill() {
    // Again on every call: a workspace a killed script was still writing to may need a second try.
    runner.stop();
    removeOwnWorkDir();
    // Everything it watched is gone now; ending its pipe lets it exit.
    watchdog.close();
    if (stopped) return;
    stopped = true;
    unsubscribe();
    pods.stop();
    for (const entry of timers) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    timers.clear();
  }

  return {
    async stop() {
      kill();
      await queue.idle();
      // Again: a queued state-store write may have run after kill().
      removeOwnWorkDir();
    },
    kill,
    idle: () => queue.idle(),
    workDir,
    pods,
  };
}
