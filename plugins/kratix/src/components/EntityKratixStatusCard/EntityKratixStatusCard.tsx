import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { useEntityKratixResources } from '../../hooks/useEntityKratixResources';
import { useNow } from '../../hooks/useNow';
import { LiveStatus } from '../LiveStatus';
import { LoadError } from '../LoadError';
import { RequestLink, RequestStateChip } from '../Requests';
import { StateChip } from '../StateChip';
import { requestCounts, visibleRequests } from '../../utils/requests';

/** At most this many Resources are listed on the card; the tab shows them all. */
const CARD_LIMIT = 10;

/** A compact overview card: each Resource's state and message, live. */
export function EntityKratixStatusCardView(props: { entity: Entity }) {
  const state = useEntityKratixResources(props.entity);
  const now = useNow();
  let body;
  if (!state.data) {
    body = state.error ? (
      <LoadError
        error={state.error}
        onRetry={state.retry}
        entity={props.entity}
      />
    ) : (
      <Progress />
    );
  } else {
    const { items, errors, refErrors } = state.data;
    const requests = visibleRequests(state.data.requests, items);
    const problems = (errors?.length ?? 0) + (refErrors?.length ?? 0);
    body = (
      <>
        <LiveStatus
          live={state.live}
          stale={state.stale}
          streamError={state.streamError}
          receivedAt={state.receivedAt}
          now={now}
          onRetry={state.retry}
        />
        {items.length === 0 && requests.length === 0 && (
          <Typography variant="body2">No Kratix Resources to show.</Typography>
        )}
        {requests.length > 0 && (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="kratix-request-count"
          >
            {requestCounts(requests).join(', ')}
          </Typography>
        )}
        <List dense disablePadding>
          {requests.slice(0, CARD_LIMIT).map(r => (
            <ListItem
              key={r.id}
              disableGutters
              data-testid="kratix-request"
              data-request={r.id}
            >
              <ListItemText
                primary={
                  <>
                    <RequestStateChip state={r.state} />{' '}
                    <strong>{r.name}</strong>{' '}
                    <Typography
                      component="span"
                      variant="caption"
                      color="textSecondary"
                    >
                      {r.promise} · {r.namespace} · {r.cluster}
                    </Typography>
                  </>
                }
                secondary={
                  <>
                    {r.message} · <RequestLink request={r} />
                  </>
                }
                secondaryTypographyProps={{
                  component: 'div',
                  style: { overflowWrap: 'anywhere' },
                }}
              />
            </ListItem>
          ))}
          {items.slice(0, CARD_LIMIT).map(r => (
            <ListItem
              key={`${r.cluster}/${r.namespace}/${r.promise}/${r.name}`}
              disableGutters
            >
              <ListItemText
                primary={
                  <>
                    <StateChip state={r.state} /> <strong>{r.name}</strong>{' '}
                    <Typography
                      component="span"
                      variant="caption"
                      color="textSecondary"
                    >
                      {r.kind} · {r.namespace} · {r.cluster}
                    </Typography>
                  </>
                }
                secondary={r.message}
                secondaryTypographyProps={{
                  style: { overflowWrap: 'anywhere' },
                }}
              />
            </ListItem>
          ))}
        </List>
        {items.length > CARD_LIMIT && (
          <Typography variant="caption" color="textSecondary">
            and {items.length - CARD_LIMIT} more on the Kratix tab
          </Typography>
        )}
        {problems > 0 && (
          <Typography variant="body2" color="error">
            {problems} cluster or link problem{problems === 1 ? '' : 's'}: see
            the Kratix tab.
          </Typography>
        )}
      </>
    );
  }
  return (
    <InfoCard title="Kratix" variant="gridItem">
      {body}
    </InfoCard>
  );
}

/** The Kratix status card (use inside an entity page). */
export function EntityKratixStatusCard() {
  const { entity } = useEntity();
  return <EntityKratixStatusCardView entity={entity} />;
}
