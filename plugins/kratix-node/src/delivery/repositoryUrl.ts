/*
 * Repository URLs as configured (`kratix.clusters[].delivery.repository`): checked once, shown in
 * messages without credentials, and turned into the web address commit links start from. Also the
 * one place that scrubs secrets out of text a server or library produced.
 */
import { InputError } from '@backstage/errors';

/**
 * The repository's URL, checked: http(s) and without credentials in it (they come from
 * `integrations`). InputError naming `key`.
 */
export function parseRepositoryUrl(repository: string, key: string): URL {
  let url: URL;
  try {
    url = new URL(repository);
  } catch {
    throw new InputError(
      `${key} must be the repository's http(s) clone URL, got "${withoutCredentials(
        repository,
      )}"`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      `${key} must be the repository's http(s) clone URL (Git over SSH is not supported), got "${withoutCredentials(
        repository,
      )}"`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      `${key} must not carry credentials; they come from Backstage's integrations config (repository ${withoutCredentials(
        repository,
      )})`,
    );
  }
  if (url.search || url.hash || url.pathname.replace(/\/+$/, '') === '') {
    throw new InputError(
      `${key} must be a repository's clone URL, e.g. https://github.com/acme/platform-requests.git, got "${repository}"`,
    );
  }
  return url;
}

/** The URL without a trailing slash or `.git`: the repository's page on GitHub, GitLab and Gitea. */
export function repositoryWebUrl(url: URL): string {
  return `${url.origin}${url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')}`;
}

/** The URL with any user info removed (for text that quotes what was configured). */
export function withoutCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}

/** `text` with every secret (of four characters or more) and every URL's user info removed. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = withoutCredentials(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
