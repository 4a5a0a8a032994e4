/*
 * Merge requests on GitLab, through its REST API with the integration's apiBaseUrl and token:
 * POST /projects/:id/merge_requests to open one, GET /projects/:id/merge_requests/:iid to see where
 * it stands (`:id` is the project's URL-encoded path). https://docs.gitlab.com/api/merge_requests/
 */
import type { ForgeApi } from './githubPullRequests';
import type { GitPullRequestState } from './types';

const API_TIMEOUT_MS = 30_000;

/** A GitLab API call that did not succeed; `message` is GitLab's own (its `message` or `error`). */
export class GitlabApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'GitlabApiError';
  }
}

/** `group/subgroup/project` from the clone URL, relative to the instance's web address. */
function projectPath(url: URL, webBaseUrl: string | undefined): string {
  const basePath = webBaseUrl
    ? new URL(webBaseUrl).pathname.replace(/\/+$/, '')
    : '';
  let pathname = url.pathname;
  if (basePath && pathname.startsWith(`${basePath}/`)) {
    pathname = pathname.slice(basePath.length);
  }
  const project = pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (!project.includes('/')) {
    throw new Error(`${url} is not a GitLab project URL (group/project)`);
  }
  return project;
}

async function call(
  api: ForgeApi,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(
    `${api.baseUrl.replace(/\/+$/, '')}${pathname}`,
    {
      method,
      headers: {
        Authorization: `Bearer ${api.token}`,
        Accept: 'application/json',
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    },
  );
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    // GitLab's errors: { message: string | string[] | { field: string[] } } or { error: string }.
    const detail = json?.message ?? json?.error ?? response.statusText;
    let reason: string;
    if (typeof detail === 'string') reason = detail;
    else if (Array.isArray(detail)) reason = detail.join('; ');
    else reason = JSON.stringify(detail);
    throw new GitlabApiError(
      response.status,
      `GitLab answered ${response.status}: ${reason}`,
    );
  }
  if (typeof json !== 'object' || json === null) {
    throw new GitlabApiError(response.status, 'GitLab answered without JSON');
  }
  return json;
}

export async function openGitlabMergeRequest(
  api: ForgeApi,
  webBaseUrl: string | undefined,
  url: URL,
  mergeRequest: { base: string; head: string; title: string; body: string },
): Promise<{ url: string; number: number }> {
  const id = encodeURIComponent(projectPath(url, webBaseUrl));
  const data = await call(api, 'POST', `/projects/${id}/merge_requests`, {
    source_branch: mergeRequest.head,
    target_branch: mergeRequest.base,
    title: mergeRequest.title,
    description: mergeRequest.body,
    // The request's branch is of no use once merged.
    remove_source_branch: true,
  });
  if (typeof data.iid !== 'number' || typeof data.web_url !== 'string') {
    throw new GitlabApiError(
      201,
      'GitLab answered without a merge request iid and web_url',
    );
  }
  return { url: data.web_url, number: data.iid };
}

/** The iid in https://gitlab.com/acme/requests/-/merge_requests/12. */
export function gitlabMergeRequestNumber(mergeRequestUrl: string) {
  const match = /\/merge_requests\/(\d+)\/?(?:[?#].*)?$/.exec(mergeRequestUrl);
  return match ? Number(match[1]) : undefined;
}

export async function gitlabMergeRequestState(
  api: ForgeApi,
  webBaseUrl: string | undefined,
  url: URL,
  iid: number,
): Promise<GitPullRequestState> {
  const id = encodeURIComponent(projectPath(url, webBaseUrl));
  const data = await call(api, 'GET', `/projects/${id}/merge_requests/${iid}`);
  switch (data.state) {
    case 'opened':
    case 'locked':
      return 'open';
    case 'merged':
      return 'merged';
    case 'closed':
      return 'closed';
    default:
      return 'unknown';
  }
}
