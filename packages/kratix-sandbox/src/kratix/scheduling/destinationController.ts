/*
 * Emulates Kratix's DestinationReconciler (KX internal/controller/destination_controller.go) for
 * the Ready condition behind `kubectl get destinations`' READY column, and its Events: a Destination
 * without Ready is first marked not ready, then Ready once its state store takes the test documents
 * (spec.initWorkloads.enabled, true by default), or Ready straight away when init workloads are off.
 * A Destination annotated `sandbox.kratix.io/unhealthy` fails that write, as an unreachable state
 * store would. The test documents themselves are not written to the emulated state store.
 */
import type { Store } from '../../store/types';
import {
  type ConditionInput,
  getCondition,
  setCondition,
} from '../common/conditions';
import type { RecordEvent } from './schedulingEvents';
import { DESTINATION_KEY } from './schedulingTypes';
import { unreachable } from './stateStore';
import { statusOf, updateStatus } from '../common/storeUtil';

const ready = (
  status: 'True' | 'False',
  reason: string,
  message: string,
): ConditionInput => ({ type: 'Ready', status, reason, message });

export class DestinationController {
  constructor(
    private readonly store: Store,
    private readonly record: RecordEvent,
  ) {}

  reconcile(name: string): void {
    const destination = this.store.get(DESTINATION_KEY, undefined, name);
    if (!destination || destination.metadata.deletionTimestamp) return;
    // Kratix ends this reconcile with the status write and carries on in the one it triggers.
    if (!getCondition(statusOf(destination), 'Ready'))
      this.setReady(
        name,
        ready('False', 'DestinationNotReady', 'Destination is not ready'),
      );

    if ((destination.spec as any)?.initWorkloads?.enabled === false) {
      this.record(
        destination,
        'Normal',
        'DestinationReady',
        'Destination is Ready',
        'DestinationController',
      );
      this.setReady(
        name,
        ready('True', 'DestinationReady', 'Destination is ready'),
      );
      return;
    }
    const error = unreachable(destination);
    if (error) {
      const message = `Failed to write test documents to State Store: ${error}`;
      this.record(
        destination,
        'Warning',
        'DestinationNotReady',
        message,
        'DestinationController',
      );
      this.setReady(name, ready('False', 'StateStoreWriteFailed', message));
      return;
    }
    this.record(
      destination,
      'Normal',
      'DestinationReady',
      'Destination is Ready',
      'DestinationController',
    );
    this.setReady(
      name,
      ready(
        'True',
        'TestDocumentsWritten',
        'Test documents written to State Store',
      ),
    );
  }

  private setReady(name: string, condition: ConditionInput) {
    updateStatus(this.store, DESTINATION_KEY, undefined, name, status =>
      setCondition(status, condition, 'promise'),
    );
  }
}
