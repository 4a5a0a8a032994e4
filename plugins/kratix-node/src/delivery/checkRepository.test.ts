/*
 * The startup check of a delivery repository: credentials only from Backstage's `integrations`, so a
 * repository no integration covers (or covers without credentials), a URL carrying credentials or
 * not over http(s), and pull requests on a forge that cannot take them stop startup with an
 * InputError naming the config key.
 */
import { InputError } from '@backstage/errors';
import { writerFor } from './__testUtils__/writerFor';

const KEY = 'kratix.clusters[0].delivery.repository';

describe('GitRequestWriter.checkRepository', () => {
  const { writer } = writerFor({
    github: [
      { host: 'github.com', token: 'ghp_x' },
      { host: 'ghe.example.com' },
      {
        host: 'ghe-api.example.com',
        apiBaseUrl: 'https://ghe-api.example.com/api/v3',
        token: 'ghp_y',
      },
      { host: 'ghe-noapi.example.com', token: 'ghp_z' },
    ],
    gitlab: [
      {
        host: 'gitlab.example.com',
        apiBaseUrl: 'https://gitlab.example.com/api/v4',
        token: 'glpat-x',
      },
    ],
    gitea: [
      {
        host: 'gitea.example.com',
        username: 'kratix',
        password: 'secret-password',
      },
      { host: 'gitea-nocreds.example.com' },
    ],
    bitbucketServer: [{ host: 'bitbucket.example.com', token: 'bb-token' }],
    azure: [{ host: 'dev.azure.com' }],
  });

  const problem = (
    repository: string,
    mode?: 'gitops' | 'pull-request',
  ): string | undefined => {
    try {
      writer.checkRepository(repository, KEY, mode ? { mode } : undefined);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(KEY);
      return (error as Error).message;
    }
  };

  it('passes a repository an integration gives credentials for', () => {
    for (const repository of [
      'https://github.com/acme/platform-requests.git',
      'https://gitlab.example.com/acme/platform/requests.git',
      'https://gitea.example.com/acme/requests.git',
      'https://bitbucket.example.com/scm/plat/requests.git',
    ]) {
      expect([repository, problem(repository)]).toEqual([
        repository,
        undefined,
      ]);
    }
    expect(
      problem('https://github.com/acme/platform-requests.git', 'pull-request'),
    ).toBeUndefined();
    expect(
      problem('https://ghe-api.example.com/acme/requests.git', 'pull-request'),
    ).toBeUndefined();
    expect(
      problem('https://gitlab.example.com/acme/requests.git', 'pull-request'),
    ).toBeUndefined();
  });

  it('names what is missing', () => {
    expect(problem('https://example.org/acme/requests.git')).toBe(
      `${KEY}: no entry in Backstage's integrations config covers example.org; add one with credentials (integrations.github, gitlab, gitea, bitbucketServer or bitbucketCloud)`,
    );
    expect(problem('https://ghe.example.com/acme/requests.git')).toBe(
      `${KEY}: integrations.github for ghe.example.com has no token and no apps`,
    );
    // Backstage adds a gitlab.com integration without a token by default.
    expect(problem('https://gitlab.com/acme/requests.git')).toBe(
      `${KEY}: integrations.gitlab for gitlab.com has no token`,
    );
    expect(problem('https://gitea-nocreds.example.com/acme/requests.git')).toBe(
      `${KEY}: integrations.gitea for gitea-nocreds.example.com needs username and password`,
    );
    expect(problem('https://dev.azure.com/acme/_git/requests')).toMatch(
      /the azure integration for dev\.azure\.com is not supported/,
    );
  });

  it('refuses pull requests where the forge cannot take them', () => {
    expect(
      problem('https://gitea.example.com/acme/requests.git', 'pull-request'),
    ).toBe(
      `${KEY}: pull-request delivery opens pull requests on GitHub and GitLab only, and gitea.example.com is a gitea integration`,
    );
    expect(
      problem(
        'https://ghe-noapi.example.com/acme/requests.git',
        'pull-request',
      ),
    ).toBe(
      `${KEY}: integrations.github for ghe-noapi.example.com needs apiBaseUrl to open pull requests`,
    );
  });

  it('refuses URLs with credentials in them, and Git over SSH, without repeating the credentials', () => {
    const withToken = problem(
      'https://kratix:secret-password@gitea.example.com/acme/requests.git',
    );
    expect(withToken).toMatch(/must not carry credentials/);
    expect(withToken).not.toContain('secret-password');
    expect(problem('git@github.com:acme/requests.git')).toMatch(
      /http\(s\) clone URL/,
    );
    expect(problem('ssh://git@github.com/acme/requests.git')).toMatch(
      /Git over SSH is not supported/,
    );
    expect(problem('https://github.com/')).toMatch(/clone URL/);
  });
});
