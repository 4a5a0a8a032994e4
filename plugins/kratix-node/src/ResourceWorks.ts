/*
 * Where each Resource's output landed on one cluster: Works (label `kratix.io/resource-name`, which
 * Kratix's work-creator puts on every Resource's Work), WorkPlacements (labelled `kratix.io/work`) and
 * Destinations, each from one watch and indexed, so the one-Resource route answers from memory, and
 * a change to a Work or placement is reported as a change to the Resource it belongs to.
 * Needs list/watch on works, workplacements and destinations (platform.kratix.io) cluster-wide.
 */
import type {
  CustomObjectsApi,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
} from '@kubernetes/client-node';
import type {
  KratixCondition,
  KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';
import { KindWatcher, type WatchChange } from './KindWatcher';
import { ObjectIndex } from './ObjectIndex';
import type { KratixClusterUnavailableError } from './clusterErrors';
import {
  workView,
  type DestinationObject,
  type WorkObject,
  type WorkPlacementObject,
} from './workView';

const KRATIX_GROUP = 'platform.kratix.io';
const KRATIX_VERSION = 'v1alpha1';
const PROMISE_LABEL = 'kratix.io/promise-name';
const RESOURCE_LABEL = 'kratix.io/resource-name';
const RESOURCE_NAMESPACE_LABEL = 'kratix.io/resource-namespace';
const WORK_LABEL = 'kratix.io/work';

type Watched<T> = T & KubernetesObject & { metadata: any };

/** The Resource a Work was built for. */
export interface WorkOwner {
  promise: string;
  namespace: string;
  name: string;
}

/**
 * Which of a Resource's Works or WorkPlacements changed, with its conditions as they now are.
 *
 * @public
 */
export interface WorkChange {
  kind: 'Work' | 'WorkPlacement';
  name: string;
  conditions: KratixCondition[];
}

function ownerOf(work: WorkObject): WorkOwner | undefined {
  const labels = work.metadata?.labels ?? {};
  const promise = labels[PROMISE_LABEL] ?? work.spec?.promiseName;
  const name = labels[RESOURCE_LABEL] ?? work.spec?.resourceName;
  // Before Kratix labelled the resource namespace, a Resource's Work lived in its namespace.
  const namespace =
    labels[RESOURCE_NAMESPACE_LABEL] ?? work.metadata?.namespace ?? 'default';
  return promise && name ? { promise, namespace, name } : undefined;
}

const ownerKey = (owner: WorkOwner) =>
  `${owner.promise}/${owner.namespace}/${owner.name}`;

export class ResourceWorks {
  private readonly works: KindWatcher<Watched<WorkObject>>;
  private readonly placements: KindWatcher<Watched<WorkPlacementObject>>;
  private readonly destinations: KindWatcher<Watched<DestinationObject>>;
  /** promise/resource-namespace/resource-name → Works. */
  private readonly worksByResource = new ObjectIndex<WorkObject>(work => {
    const owner = ownerOf(work);
    return owner && ownerKey(owner);
  });
  /** namespace/work-name → WorkPlacements. */
  private readonly placementsByWork = new ObjectIndex<WorkPlacementObject>(
    wp => {
      const work = wp.metadata?.labels?.[WORK_LABEL];
      return work ? `${wp.metadata?.namespace}/${work}` : undefined;
    },
  );

  constructor(options: {
    cluster: string;
    kubeConfig: KubeConfig;
    custom: CustomObjectsApi;
    initialBackoffMs?: number;
    onError?: (error: KratixClusterUnavailableError, cause: unknown) => void;
    /** A Work of this Resource, or one of its placements, changed. */
    onChange?: (owner: WorkOwner, changed: WorkChange) => void;
  }) {
    const notify = (
      work: WorkObject | undefined,
      kind: WorkChange['kind'],
      object: WorkObject | WorkPlacementObject,
    ) => {
      const owner = work && ownerOf(work);
      if (owner) {
        options.onChange?.(owner, {
          kind,
          name: object.metadata?.name ?? '',
          conditions: object.status?.conditions ?? [],
        });
      }
    };
    const watcher = <T extends KubernetesObject>(
      plural: string,
      onChange?: (change: WatchChange<T>) => void,
      labelSelector?: string,
    ) =>
      new KindWatcher<T>({
        cluster: options.cluster,
        kubeConfig: options.kubeConfig,
        path: `/apis/${KRATIX_GROUP}/${KRATIX_VERSION}/${plural}`,
        labelSelector,
        list: () =>
          options.custom.listClusterCustomObject({
            group: KRATIX_GROUP,
            version: KRATIX_VERSION,
            plural,
            labelSelector,
          }) as Promise<KubernetesListObject<T>>,
        onChange,
        onError: options.onError,
        initialBackoffMs: options.initialBackoffMs,
      });
    this.works = watcher<Watched<WorkObject>>(
      'works',
      change => {
        this.worksByResource.apply(change);
        notify(change.object, 'Work', change.object);
      },
      RESOURCE_LABEL,
    );
    this.placements = watcher<Watched<WorkPlacementObject>>(
      'workplacements',
      change => {
        this.placementsByWork.apply(change);
        const work = change.object.metadata?.labels?.[WORK_LABEL];
        if (work)
          notify(
            this.works.get(work, change.object.metadata?.namespace),
            'WorkPlacement',
            change.object,
          );
      },
    );
    this.destinations = watcher('destinations');
  }

  start(): void {
    this.works.start();
    this.placements.start();
    this.destinations.start();
  }

  async stop(): Promise<void> {
    await Promise.all([
      this.works.stop(),
      this.placements.stop(),
      this.destinations.stop(),
    ]);
  }

  /** A Resource's Works with their placements and Destinations, sorted by name. */
  async forResource(
    promise: string,
    namespace: string,
    name: string,
    timeoutMs: number,
  ): Promise<KratixWorkView[]> {
    await this.ready(timeoutMs);
    return this.worksOf(promise, namespace, name)
      .map(work =>
        workView(work, this.placementsOf(work), destination =>
          this.destinations.get(destination),
        ),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The Works and WorkPlacements of a Resource, as the objects Kratix files Events against. */
  async objectsOf(
    promise: string,
    namespace: string,
    name: string,
    timeoutMs: number,
  ): Promise<Array<WorkObject | WorkPlacementObject>> {
    await this.ready(timeoutMs);
    return this.worksOf(promise, namespace, name).flatMap(work => [
      work,
      ...this.placementsOf(work),
    ]);
  }

  private async ready(timeoutMs: number) {
    await Promise.all([
      this.works.ready(timeoutMs),
      this.placements.ready(timeoutMs),
      this.destinations.ready(timeoutMs),
    ]);
  }

  private worksOf(promise: string, namespace: string, name: string) {
    return this.worksByResource.get(ownerKey({ promise, namespace, name }));
  }

  private placementsOf(work: WorkObject) {
    return this.placementsByWork.get(
      `${work.metadata?.namespace}/${work.metadata?.name}`,
    );
  }
}
