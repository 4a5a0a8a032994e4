/*
 * A link to a commit: the configured template (`kratix.clusters[].delivery.commitUrlTemplate`), or
 * the page each forge has for commits, from the repository's clone URL.
 */
import type { RepositoryForge } from './repositoryCredentials';
import { repositoryWebUrl } from './repositoryUrl';

/**
 * `template` with `{repository}` (the clone URL without a trailing `.git`) and `{sha}` filled in;
 * without a template, the forge's commit page; undefined when neither gives one.
 */
export function commitUrlFor(
  forge: RepositoryForge | undefined,
  url: URL,
  sha: string,
  template?: string,
): string | undefined {
  const web = repositoryWebUrl(url);
  if (template) {
    return template
      .split('{repository}')
      .join(web)
      .split('{sha}')
      .join(encodeURIComponent(sha));
  }
  switch (forge) {
    case 'github':
    case 'gitea':
      return `${web}/commit/${sha}`;
    case 'gitlab':
      return `${web}/-/commit/${sha}`;
    case 'bitbucketCloud':
      return `${web}/commits/${sha}`;
    case 'bitbucketServer': {
      // Clone URLs are <base>/scm/<project>/<repo>.git; pages <base>/projects/<project>/repos/<repo>.
      const match = /^(.*)\/scm\/([^/]+)\/([^/]+)$/.exec(new URL(web).pathname);
      if (!match) return undefined;
      const [, base, project, repo] = match;
      return `${url.origin}${base}/projects/${project}/repos/${repo}/commits/${sha}`;
    }
    default:
      return undefined;
  }
}
