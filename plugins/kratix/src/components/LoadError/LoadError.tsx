import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import { Button } from '@material-ui/core';
import type { Entity } from '@backstage/catalog-model';
import { Forbidden } from './Forbidden';

const statusOf = (error: Error): number | undefined => {
  if (ResponseError.is(error)) return error.statusCode;
  const code = (error as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
};

/**
 * Why the entity's Resources could not be loaded at all, in words a user can act on: not signed in,
 * not allowed (whom to ask: the `entity`'s owner; no retry, which cannot help), entity not found,
 * clusters down; anything else as Backstage's error panel.
 */
export function LoadError(props: {
  error: Error;
  onRetry?: () => void;
  /** The entity whose Resources were asked for: a refusal names its owner. */
  entity?: Entity;
}) {
  const { error, onRetry, entity } = props;
  const status = statusOf(error);
  const action = onRetry ? (
    <Button variant="outlined" color="primary" onClick={onRetry}>
      Try again
    </Button>
  ) : undefined;
  const detail = ResponseError.is(error) ? error.cause.message : error.message;

  if (status === 401) {
    return (
      <EmptyState
        missing="info"
        title="Sign in to see this entity’s Kratix Resources"
        description={`The Kratix backend did not accept your session (${detail}).`}
        action={action}
      />
    );
  }
  if (status === 403) return <Forbidden entity={entity} />;
  if (status === 404) {
    return (
      <EmptyState
        missing="data"
        title="This entity was not found"
        description={`The catalog does not know this entity any more, or its Kratix Resources could not be found (${detail}).`}
        action={action}
      />
    );
  }
  if (status === 503) {
    return (
      <EmptyState
        missing="data"
        title="Kratix is unavailable"
        description={`The Kratix platform cluster could not be reached, so Resources cannot be shown right now. (${detail})`}
        action={action}
      />
    );
  }
  return (
    <>
      <ResponseErrorPanel
        error={error}
        title="Could not load Kratix Resources"
      />
      {action}
    </>
  );
}
