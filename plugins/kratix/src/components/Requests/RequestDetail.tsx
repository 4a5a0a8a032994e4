import type { ReactNode } from 'react';
import { Typography, makeStyles } from '@material-ui/core';
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';
import { commitLinkOf } from '../../utils/requests';
import { formatTimestamp } from '../../utils/time';
import { RequestLink } from './RequestLink';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(3),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 0),
  },
  label: {
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    letterSpacing: '0.05em',
    alignSelf: 'center',
  },
  value: { margin: 0, overflowWrap: 'anywhere', fontWeight: 500 },
}));

/** What happens next, in the request's state: the reader's question when the row lingers. */
function nextStep(request: KratixRequestView): string {
  const { state, mode, branch, repository } = request;
  const through =
    mode === 'pull-request'
      ? 'once its pull request is merged and the platform has synced it'
      : `once the platform's GitOps agent has synced ${branch}`;
  switch (state) {
    case 'pending':
      return request.operation === 'delete'
        ? `The Resource is deleted ${through}.`
        : `The Resource appears here ${through}; this row then gives way to it.`;
    case 'stale':
      return `The platform has not applied it yet. Check that the GitOps agent syncs ${branch} of ${repository}${
        mode === 'pull-request' ? ' and that the pull request was merged' : ''
      }, or ask your platform team.`;
    case 'closed':
      if (mode !== 'pull-request') {
        // gitops: the branch no longer holds what was committed (the tracker read it back).
        return request.operation === 'delete'
          ? `The Resource's file was put back on ${branch} before the platform deleted it: nothing will be deleted. Delete it again if it is still needed.`
          : `Its file was removed from or replaced on ${branch} before the platform applied it: nothing will be applied. Request it again if it is still needed.`;
      }
      return 'The pull request was closed without merging: nothing will be applied. Request it again if it is still needed.';
    case 'superseded':
      return 'A later request for the same Resource was applied first.';
    default:
      return 'The platform has applied it.';
  }
}

/** Everything about one delivered request: where it went in Git, who asked and when. */
export function RequestDetail(props: { request: KratixRequestView }) {
  const { request } = props;
  const classes = useStyles();
  const facts: Array<[string, ReactNode]> = [
    ['Repository', request.repository],
    ['Branch', request.branch],
    ['File', request.path],
    ['Commit', <RequestLink request={request} link={commitLinkOf(request)} />],
  ];
  if (request.mode === 'pull-request') {
    facts.push(['Pull request', <RequestLink request={request} />]);
  }
  facts.push(
    ['Requested by', request.requestedBy],
    ['Requested', formatTimestamp(request.createdAt)],
    ['Request id', request.id],
  );
  return (
    <div data-testid="kratix-request-detail">
      <Typography variant="body2">{nextStep(request)}</Typography>
      <dl className={classes.facts}>
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt className={classes.label}>{label}</dt>
            <dd className={classes.value}>
              <Typography variant="body2" component="span">
                {value}
              </Typography>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
