import {
  gitopsRequest,
  pullRequest,
} from '../__fixtures__/requests';
import { redisView } from '../__fixtures__';
import {
  requestCounts,
  requesterName,
  requestLinkOf,
  visibleRequests,
} from './requests';

describe('request words and links', () => {
  it('links a pull request by number, else the commit by its short sha', () => {
    expect(requestLinkOf(pullRequest())).toEqual({
      label: 'Pull request #12',
      href: 'https://github.com/acme/platform-requests/pull/12',
    });
    expect(requestLinkOf(gitopsRequest())).toEqual({
      label: 'Commit abc1234',
      href: gitopsRequest().commitUrl,
    });
    expect(
      requestLinkOf(gitopsRequest({ commitUrl: 'ftp://host/x' })),
    ).toEqual({ label: 'Commit abc1234', href: undefined });
  });

  it('counts per state, what waits first, in the singular for one', () => {
    expect(
      requestCounts([
        gitopsRequest({ state: 'closed' }),
        gitopsRequest(),
        gitopsRequest({ state: 'stale' }),
        gitopsRequest({ state: 'stale' }),
      ]),
    ).toEqual(['1 pending request', '2 stale requests', '1 closed request']);
    expect(requestCounts([])).toEqual([]);
  });

  it('names a user in the default namespace by name alone', () => {
    expect(requesterName('user:default/guest')).toBe('guest');
    expect(requesterName('user:ops/alice')).toBe('ops/alice');
    expect(requesterName('group:default/team-a')).toBe('group:default/team-a');
    expect(requesterName('not a ref:')).toBe('not a ref:');
  });

  it('drops applied requests and a create whose Resource is live, keeps changes to live ones', () => {
    const live = redisView('reconciled', { name: 'orders-cache' });
    const create = gitopsRequest();
    const update = gitopsRequest({ id: 'u', operation: 'update' });
    const applied = gitopsRequest({ id: 'a', name: 'other', state: 'applied' });
    expect(visibleRequests([create, update, applied], [live])).toEqual([
      update,
    ]);
    // a Resource on its way out does not stand for a new one of its name
    const leaving = redisView('reconciled', {
      name: 'orders-cache',
      deletionTimestamp: '2026-03-16T12:00:00Z',
    });
    expect(visibleRequests([create], [leaving])).toEqual([create]);
    expect(visibleRequests(undefined, [live])).toEqual([]);
  });
});
