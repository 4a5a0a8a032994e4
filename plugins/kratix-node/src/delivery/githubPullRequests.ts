/*
 * Pull requests on GitHub (and GitHub Enterprise), through @octokit/rest with the integration's
 * apiBaseUrl and token: POST /repos/{owner}/{repo}/pulls to open one, GET .../pulls/{number} to see
 * where it stands. https://docs.github.com/en/rest/pulls/pulls
 */
import { Octokit } from '@octokit/rest';
import type { GitPullRequestState } from './types';

/** How long one API call may take. */
const API_TIMEOUT_MS = 30_000;

export interface ForgeApi {
  baseUrl: string;
  token: string;
}

/** `{ owner, repo }` from a clone URL such as https://github.com/acme/requests.git. */
function ownerAndRepo(url: URL): { owner: string; repo: string } {
  const [owner, repo] = url.pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (!owner || !repo) {
    throw new Error(`${url} is not a GitHub repository URL (owner/repo)`);
  }
  return { owner, repo };
}

function client(api: ForgeApi): Octokit {
  return new Octokit({
    baseUrl: api.baseUrl,
    auth: api.token,
    userAgent: 'kratix-backstage',
  });
}

export async function openGithubPullRequest(
  api: ForgeApi,
  url: URL,
  pullRequest: { base: string; head: string; title: string; body: string },
): Promise<{ url: string; number: number }> {
  const { data } = await client(api).pulls.create({
    ...ownerAndRepo(url),
    base: pullRequest.base,
    head: pullRequest.head,
    title: pullRequest.title,
    body: pullRequest.body,
    request: { signal: AbortSignal.timeout(API_TIMEOUT_MS) },
  });
  if (typeof data?.number !== 'number' || typeof data.html_url !== 'string') {
    throw new Error('GitHub answered without a pull request number and URL');
  }
  return { url: data.html_url, number: data.number };
}

/** The number in https://github.com/acme/requests/pull/12. */
export function githubPullRequestNumber(pullRequestUrl: string) {
  const match = /\/pull\/(\d+)\/?(?:[?#].*)?$/.exec(pullRequestUrl);
  return match ? Number(match[1]) : undefined;
}

export async function githubPullRequestState(
  api: ForgeApi,
  url: URL,
  number: number,
): Promise<GitPullRequestState> {
  const { data } = await client(api).pulls.get({
    ...ownerAndRepo(url),
    pull_number: number,
    request: { signal: AbortSignal.timeout(API_TIMEOUT_MS) },
  });
  if (data.merged || data.merged_at) return 'merged';
  if (data.state === 'open') return 'open';
  if (data.state === 'closed') return 'closed';
  return 'unknown';
}
