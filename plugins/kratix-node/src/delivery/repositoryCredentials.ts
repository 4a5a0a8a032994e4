/*
 * Credentials for a delivery repository, only ever from Backstage's `integrations` config (as the
 * scaffolder's publish actions get them): the integration matching the repository's host, and the
 * user name and password (or header) each forge expects for Git over HTTP, plus the token for its
 * API where pull requests are opened (GitHub, GitLab).
 */
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  DefaultGitlabCredentialsProvider,
  type BitbucketCloudIntegrationConfig,
  type BitbucketServerIntegrationConfig,
  type GiteaIntegrationConfig,
  type GithubIntegrationConfig,
  type GitLabIntegrationConfig,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import type { GitAuth } from 'isomorphic-git';
import { KratixDeliveryError } from './KratixDeliveryError';
import { redact } from './repositoryUrl';

/** The forges a Git delivery supports; pull requests on GitHub and GitLab only. */
export type RepositoryForge =
  | 'github'
  | 'gitlab'
  | 'gitea'
  | 'bitbucketServer'
  | 'bitbucketCloud';

export const PULL_REQUEST_FORGES: readonly RepositoryForge[] = [
  'github',
  'gitlab',
];

/** What a delivery needs to reach one repository. */
export interface RepositoryAccess {
  forge: RepositoryForge;
  /** Git over HTTP: basic auth (or a header), given when the server asks (401). */
  auth: GitAuth;
  /** GitHub's or GitLab's API, for pull requests. */
  api?: { baseUrl: string; token: string };
  /** GitLab: the instance's web address (project paths are relative to it). */
  webBaseUrl?: string;
  /** Every secret above, scrubbed from whatever text leaves the delivery. */
  secrets: string[];
}

type Found =
  | { forge: 'github'; config: GithubIntegrationConfig }
  | { forge: 'gitlab'; config: GitLabIntegrationConfig }
  | { forge: 'gitea'; config: GiteaIntegrationConfig }
  | { forge: 'bitbucketServer'; config: BitbucketServerIntegrationConfig }
  | { forge: 'bitbucketCloud'; config: BitbucketCloudIntegrationConfig };

export class RepositoryCredentials {
  private readonly github: DefaultGithubCredentialsProvider;
  private readonly gitlab: DefaultGitlabCredentialsProvider;

  constructor(private readonly integrations: ScmIntegrationRegistry) {
    this.github =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    this.gitlab =
      DefaultGitlabCredentialsProvider.fromIntegrations(integrations);
  }

  private find(url: URL): Found | string {
    const href = url.toString();
    const github = this.integrations.github.byUrl(href);
    if (github) return { forge: 'github', config: github.config };
    const gitlab = this.integrations.gitlab.byUrl(href);
    if (gitlab) return { forge: 'gitlab', config: gitlab.config };
    const gitea = this.integrations.gitea.byUrl(href);
    if (gitea) return { forge: 'gitea', config: gitea.config };
    const server = this.integrations.bitbucketServer.byUrl(href);
    if (server) return { forge: 'bitbucketServer', config: server.config };
    const cloud = this.integrations.bitbucketCloud.byUrl(href);
    if (cloud) return { forge: 'bitbucketCloud', config: cloud.config };
    const other = this.integrations.byUrl(href);
    if (other) {
      return `the ${other.type} integration for ${url.host} is not supported for Git delivery (GitHub, GitLab, Gitea, Bitbucket Server and Bitbucket Cloud are)`;
    }
    return `no entry in Backstage's integrations config covers ${url.host}; add one with credentials (integrations.github, gitlab, gitea, bitbucketServer or bitbucketCloud)`;
  }

  /** The forge of the integration covering this repository, whatever its credentials. */
  forgeOf(url: URL): RepositoryForge | undefined {
    const found = this.find(url);
    return typeof found === 'string' ? undefined : found.forge;
  }

  /**
   * Why this repository cannot be written to with the configured integrations (or have pull
   * requests, in that mode); undefined when it can.
   */
  problem(url: URL, mode?: 'gitops' | 'pull-request'): string | undefined {
    const found = this.find(url);
    if (typeof found === 'string') return found;
    const missing = missingCredentials(found);
    if (missing)
      return `integrations.${found.forge} for ${url.host} ${missing}`;
    if (mode === 'pull-request') {
      if (!PULL_REQUEST_FORGES.includes(found.forge)) {
        return `pull-request delivery opens pull requests on GitHub and GitLab only, and ${url.host} is a ${found.forge} integration`;
      }
      if (found.forge === 'github' && !found.config.apiBaseUrl) {
        return `integrations.github for ${url.host} needs apiBaseUrl to open pull requests`;
      }
    }
    return undefined;
  }

  /** The credentials to use now (a GitHub App's token is fetched, and cached by the provider). */
  async access(url: URL): Promise<RepositoryAccess> {
    const found = this.find(url);
    const problem =
      typeof found === 'string' ? found : missingCredentials(found);
    if (typeof found === 'string' || problem) {
      throw new InputError(`No credentials for ${url}: ${problem}`);
    }
    switch (found.forge) {
      case 'github': {
        let token: string | undefined;
        try {
          token = (await this.github.getCredentials({ url: url.toString() }))
            .token;
        } catch (error) {
          throw new KratixDeliveryError(
            url.toString(),
            `Could not get credentials for ${url} from integrations.github: ${redact(
              String((error as Error)?.message ?? error),
              [],
            )}`,
          );
        }
        if (!token) {
          throw new KratixDeliveryError(
            url.toString(),
            `integrations.github gives no token for ${url} (no token, and no GitHub App installed for its owner)`,
          );
        }
        return {
          forge: 'github',
          auth: { username: 'x-access-token', password: token },
          api: found.config.apiBaseUrl
            ? { baseUrl: found.config.apiBaseUrl, token }
            : undefined,
          secrets: [token],
        };
      }
      case 'gitlab': {
        const token =
          (await this.gitlab.getCredentials({ url: url.toString() })).token ??
          found.config.token!;
        return {
          forge: 'gitlab',
          auth: { username: 'oauth2', password: token },
          api: { baseUrl: found.config.apiBaseUrl, token },
          webBaseUrl: found.config.baseUrl,
          secrets: [token],
        };
      }
      case 'gitea':
        return {
          forge: 'gitea',
          auth: {
            username: found.config.username,
            password: found.config.password,
          },
          secrets: [found.config.password!],
        };
      case 'bitbucketServer': {
        const { token, username, password } = found.config;
        return {
          forge: 'bitbucketServer',
          auth: token
            ? { headers: { Authorization: `Bearer ${token}` } }
            : { username, password },
          secrets: [token ?? password!],
        };
      }
      case 'bitbucketCloud': {
        const { token, username, appPassword } = found.config;
        return {
          forge: 'bitbucketCloud',
          auth: token
            ? { username: 'x-token-auth', password: token }
            : { username, password: appPassword },
          secrets: [token ?? appPassword!],
        };
      }
      default:
        throw new Error('unreachable');
    }
  }
}

/** What the integration lacks to write over Git, e.g. "has no token"; undefined when complete. */
function missingCredentials(found: Found): string | undefined {
  switch (found.forge) {
    case 'github':
      return found.config.token || found.config.apps?.length
        ? undefined
        : 'has no token and no apps';
    case 'gitlab':
      return found.config.token ? undefined : 'has no token';
    case 'gitea':
      return found.config.username && found.config.password
        ? undefined
        : 'needs username and password';
    case 'bitbucketServer':
      return found.config.token ||
        (found.config.username && found.config.password)
        ? undefined
        : 'needs a token, or username and password';
    case 'bitbucketCloud':
      return found.config.token ||
        (found.config.username && found.config.appPassword)
        ? undefined
        : 'needs a token, or username and appPassword';
    default:
      return 'is not supported';
  }
}
