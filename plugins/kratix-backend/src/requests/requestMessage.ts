/*
 * What a request's row says to the user about where it stands, derived from its state when read
 * (a stale request's age keeps growing, so it is not stored).
 */
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';

type MessageInput = Pick<
  KratixRequestView,
  | 'state'
  | 'operation'
  | 'mode'
  | 'branch'
  | 'commitSha'
  | 'pullRequestUrl'
  | 'pullRequestNumber'
  | 'pullRequestMergedAt'
  | 'createdAt'
>;

/** An elapsed time as people say it: minutes, then hours from two hours, then days from two days. */
export function humanAge(ms: number): string {
  const plural = (n: number, unit: string) =>
    `${n} ${unit}${n === 1 ? '' : 's'}`;
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

const shortSha = (sha: string) => sha.slice(0, 7);

/** "Pull request #12", or the bare words when the forge gave no number. */
function pullRequestName(request: MessageInput): string {
  return request.pullRequestNumber !== undefined
    ? `Pull request #${request.pullRequestNumber}`
    : 'The pull request';
}

export function requestMessage(request: MessageInput, now: Date): string {
  const pullRequest =
    request.mode === 'pull-request' &&
    (request.pullRequestUrl !== undefined ||
      request.pullRequestNumber !== undefined);
  switch (request.state) {
    case 'applied':
      return 'Applied by the platform';
    case 'superseded':
      return 'Superseded by a later request';
    case 'closed':
      // A gitops request is closed only when the tracker read its branch (there is no pull request).
      if (request.mode === 'gitops') {
        return request.operation === 'delete'
          ? `Its file was put back on ${request.branch} before the platform deleted the Resource`
          : `Its file was removed from or replaced on ${request.branch} before the platform applied it`;
      }
      return `${pullRequestName(request)} was closed without merging`;
    case 'stale': {
      const age = humanAge(now.getTime() - Date.parse(request.createdAt));
      if (pullRequest && request.pullRequestMergedAt) {
        return `${pullRequestName(request)} merged ${humanAge(
          now.getTime() - Date.parse(request.pullRequestMergedAt),
        )} ago; the platform has not applied it`;
      }
      return pullRequest
        ? `${pullRequestName(
            request,
          )} opened ${age} ago; the platform has not applied it`
        : `Committed ${shortSha(
            request.commitSha,
          )} ${age} ago; the platform has not applied it`;
    }
    case 'pending':
    default:
      if (pullRequest && request.pullRequestMergedAt) {
        return `${pullRequestName(
          request,
        )} merged, waiting for the platform to sync`;
      }
      return pullRequest
        ? `${pullRequestName(request)} open, waiting for review`
        : `Committed ${shortSha(request.commitSha)} to ${
            request.branch
          }, waiting for the platform to sync`;
  }
}
