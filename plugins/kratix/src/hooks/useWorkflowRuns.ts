import { useCallback, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type {
  KratixResourceView,
  KratixWorkflowRun,
} from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef, type KratixEntityRef } from '../api/KratixApi';
import { resourceSignature } from './useResourceDetails';

/** What `useWorkflowRuns` returns. */
export interface WorkflowRunsState {
  /** Newest first; the last answer stays while a new one loads or when loading fails. */
  runs?: KratixWorkflowRun[];
  loading: boolean;
  error?: Error;
  /** Ask again now (a followed container ended, a dialog opened on a run that may have moved on). */
  reload: () => void;
}

/**
 * A Resource's workflow runs (pipeline Jobs, their Pods' containers, exit codes), loaded with the
 * Resource and again whenever its live view changes: a run that fails changes its conditions.
 */
export function useWorkflowRuns(
  entityRef: KratixEntityRef,
  resource: KratixResourceView,
): WorkflowRunsState {
  const api = useApi(kratixApiRef);
  const { cluster, promise, namespace, name } = resource;
  const signature = resourceSignature(resource);
  const [attempt, setAttempt] = useState(0);
  const { loading, value, error } = useAsync(
    () => api.getResourceRuns(entityRef, { cluster, promise, namespace, name }),
    [api, entityRef, cluster, promise, namespace, name, signature, attempt],
  );
  const shown = useRef<KratixWorkflowRun[]>();
  if (value) shown.current = value.runs;
  const reload = useCallback(() => setAttempt(a => a + 1), []);
  return { runs: shown.current, loading, error, reload };
}
