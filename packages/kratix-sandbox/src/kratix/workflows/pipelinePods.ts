/*
 * The Pod of each pipeline Job, as the Job controller and kubelet would report it: one v1 Pod per
 * Job (generateName `<job>-`), the Job template's labels plus the Job controller's `job-name`,
 * `controller-uid` and their `batch.kubernetes.io/` forms, owned by the Job (so deleting the Job
 * deletes it). Init containers `reader`, the pipeline's containers in order and `work-writer`
 * (configure only); main container `status-writer`. Container statuses move waiting
 * (PodInitializing) → running → terminated (Completed / Error, with exitCode); a container after a
 * failed one stays waiting. Phase: Pending while init containers run, Running for the
 * status-writer, then Succeeded or Failed.
 *
 * Each container's output is kept in a ContainerLog (runner/containerLog.ts), served by the API
 * server's pods/log; a Pod's logs go when the Pod does.
 */
import type { KubeObject, Store, StoreChange } from '../../store/types';
import { POD_KEY } from '../../store/builtinTypes';
import { ContainerLog } from '../runner/containerLog';
import type { ContainerHooks } from '../runner/pipelineRunner';
import { updateStatus } from '../common/storeUtil';

type ContainerState = Record<string, unknown>;

/** The Pod's status for one container, as the kubelet reports it. */
interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  ready: boolean;
  restartCount: number;
  started: boolean;
  state: ContainerState;
  lastState: ContainerState;
  containerID?: string;
}

const time = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function podFor(job: KubeObject): KubeObject {
  const template = (job.spec as any)?.template ?? {};
  const jobName = job.metadata.name;
  const uid = job.metadata.uid!;
  const spec = template.spec ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: '',
      generateName: `${jobName}-`,
      namespace: job.metadata.namespace,
      labels: {
        ...(template.metadata?.labels ?? {}),
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': jobName,
        'controller-uid': uid,
        'job-name': jobName,
      },
      ...(template.metadata?.annotations
        ? { annotations: template.metadata.annotations }
        : {}),
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: jobName,
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...spec,
      nodeName: 'sandbox',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
    },
  };
}

/** One pipeline Pod in progress: statuses written as its containers start and stop. */
export class PipelinePod {
  readonly name: string;
  readonly namespace: string;
  private readonly init: ContainerStatus[];
  private readonly main: ContainerStatus[];
  private failed = false;

  constructor(
    private readonly store: Store,
    pod: KubeObject,
    private readonly logs: Map<string, ContainerLog>,
  ) {
    this.name = pod.metadata.name;
    this.namespace = pod.metadata.namespace!;
    const spec = pod.spec as any;
    const waiting = (c: { name: string; image: string }): ContainerStatus => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'PodInitializing' } },
      lastState: {},
    });
    this.init = (spec.initContainers ?? []).map(waiting);
    this.main = (spec.containers ?? []).map(waiting);
    this.write();
  }

  /** For the runner: the pipeline's own containers. */
  get hooks(): ContainerHooks {
    return {
      start: name => this.startContainer(name),
      output: (name, stream, chunk) =>
        this.logs.get(name)?.write(stream, chunk),
      exit: (name, code) => this.exitContainer(name, code),
    };
  }

  /**
   * Runs one of the pipeline adapter's containers (reader, work-writer, status-writer) around `fn`:
   * its lines are the container's log; a throw is the container failing (exit code 1, the error's
   * message its last line), then rethrown.
   */
  adapter<T>(name: string, lines: string[], fn: () => T): T {
    this.startContainer(name);
    const log = this.logs.get(name);
    for (const line of lines) log?.write('stdout', `${line}\n`);
    try {
      const result = fn();
      this.exitContainer(name, 0);
      return result;
    } catch (error) {
      log?.write('stderr', `${(error as Error)?.message ?? error}\n`);
      this.exitContainer(name, 1);
      throw error;
    }
  }

  /** The run ended: Succeeded, or Failed when a container failed or `ok` is false. */
  finish(ok: boolean): void {
    if (!ok) this.failed = true;
    for (const log of this.logs.values()) log.end();
    this.write(true);
  }

  private status(name: string): ContainerStatus | undefined {
    return [...this.init, ...this.main].find(c => c.name === name);
  }

  private startContainer(name: string): void {
    const status = this.status(name);
    if (!status) return;
    this.logs.set(name, new ContainerLog());
    status.started = true;
    status.containerID = `sandbox://${this.name}/${name}`;
    status.state = { running: { startedAt: time() } };
    if (this.main.includes(status)) status.ready = true;
    this.write();
  }

  private exitContainer(name: string, exitCode: number): void {
    const status = this.status(name);
    if (!status) return;
    this.logs.get(name)?.end();
    const startedAt = (status.state.running as any)?.startedAt ?? time();
    status.started = false;
    status.ready = false;
    status.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt,
        finishedAt: time(),
        containerID: status.containerID,
      },
    };
    if (exitCode !== 0) this.failed = true;
    this.write();
  }

  private write(final = false): void {
    const terminated = (c: ContainerStatus) => 'terminated' in c.state;
    const initDone = this.init.every(
      c => terminated(c) && (c.state.terminated as any).exitCode === 0,
    );
    const running = this.main.some(c => 'running' in c.state);
    let phase = 'Pending';
    if (final) phase = this.failed ? 'Failed' : 'Succeeded';
    else if (this.failed) phase = 'Failed';
    else if (initDone && (running || this.main.some(terminated)))
      phase = 'Running';
    const now = time();
    const condition = (type: string, ok: boolean, reason?: string) => ({
      type,
      status: ok ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: now,
      ...(ok || !reason ? {} : { reason }),
    });
    const ready = running && !final;
    try {
      updateStatus(this.store, POD_KEY, this.namespace, this.name, status => {
        const previous = (status.conditions as any[]) ?? [];
        const keep = (c: { type: string; status: string }) => {
          const old = previous.find(p => p.type === c.type);
          return old && old.status === c.status ? old : c;
        };
        status.phase = phase;
        status.conditions = [
          condition('Initialized', initDone, 'ContainersNotInitialized'),
          condition(
            'Ready',
            ready,
            final ? 'PodCompleted' : 'ContainersNotReady',
          ),
          condition(
            'ContainersReady',
            ready,
            final ? 'PodCompleted' : 'ContainersNotReady',
          ),
          condition('PodScheduled', true),
        ].map(keep);
        status.hostIP = '127.0.0.1';
        status.podIP = '127.0.0.1';
        status.startTime = status.startTime ?? now;
        status.qosClass = 'BestEffort';
        status.initContainerStatuses = structuredClone(this.init);
        status.containerStatuses = structuredClone(this.main);
      });
    } catch {
      // The Pod is gone (its Job was collected): nothing to report to.
    }
  }
}

/** Every pipeline Pod's container logs, by Pod uid; dropped when the Pod is deleted. */
export class PipelinePods {
  private readonly logs = new Map<string, Map<string, ContainerLog>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: Store) {
    this.unsubscribe = store.subscribe((change: StoreChange) => {
      if (
        change.type === 'DELETED' &&
        change.resourceType.group === '' &&
        change.resourceType.plural === POD_KEY.plural
      )
        this.forget(change.object.metadata.uid);
    });
  }

  /** The log of one container of a Pod, once that container has started. */
  containerLog(podUid: string, container: string): ContainerLog | undefined {
    return this.logs.get(podUid)?.get(container);
  }

  /** Creates the Pod of a just-created Job; undefined (and no Pod) when that fails. */
  start(job: KubeObject): PipelinePod | undefined {
    try {
      const pod = this.store.create(POD_KEY, podFor(job));
      const logs = new Map<string, ContainerLog>();
      this.logs.set(pod.metadata.uid!, logs);
      return new PipelinePod(this.store, pod, logs);
    } catch {
      return undefined; // the run goes on without a Pod, as it does without a Job
    }
  }

  /** Ends every follower (the sandbox is stopping). */
  stop(): void {
    this.unsubscribe();
    for (const uid of [...this.logs.keys()]) this.forget(uid);
  }

  private forget(uid: string | undefined): void {
    if (!uid) return;
    for (const log of this.logs.get(uid)?.values() ?? []) log.end();
    this.logs.delete(uid);
  }
}
