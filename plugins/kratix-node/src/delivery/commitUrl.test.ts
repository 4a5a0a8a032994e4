/*
 * Commit links: each forge's page for a commit from the repository's clone URL, or the configured
 * template (`{repository}`: the URL without `.git`, `{sha}`), and none where neither gives one.
 */
import { writerFor } from './__testUtils__/writerFor';

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

describe('GitRequestWriter.commitUrl', () => {
  const { writer } = writerFor({
    github: [{ host: 'github.com', token: 'ghp_x' }],
    gitlab: [
      {
        host: 'gitlab.example.com',
        baseUrl: 'https://gitlab.example.com',
        apiBaseUrl: 'https://gitlab.example.com/api/v4',
        token: 'glpat-x',
      },
    ],
    gitea: [{ host: 'gitea.example.com', username: 'u', password: 'p' }],
    bitbucketServer: [{ host: 'bitbucket.example.com', token: 'bb' }],
    bitbucketCloud: [{ username: 'u', appPassword: 'p' }],
  });

  it("links to each forge's commit page", () => {
    expect(
      writer.commitUrl('https://github.com/acme/platform-requests.git', SHA),
    ).toBe(`https://github.com/acme/platform-requests/commit/${SHA}`);
    expect(
      writer.commitUrl(
        'https://gitlab.example.com/acme/platform/requests',
        SHA,
      ),
    ).toBe(`https://gitlab.example.com/acme/platform/requests/-/commit/${SHA}`);
    expect(
      writer.commitUrl('https://gitea.example.com/acme/requests.git/', SHA),
    ).toBe(`https://gitea.example.com/acme/requests/commit/${SHA}`);
    expect(
      writer.commitUrl(
        'https://bitbucket.example.com/scm/plat/requests.git',
        SHA,
      ),
    ).toBe(
      `https://bitbucket.example.com/projects/plat/repos/requests/commits/${SHA}`,
    );
    expect(
      writer.commitUrl('https://bitbucket.org/acme/requests.git', SHA),
    ).toBe(`https://bitbucket.org/acme/requests/commits/${SHA}`);
  });

  it('fills in a template over the default', () => {
    expect(
      writer.commitUrl(
        'http://127.0.0.1:4000/kratix-requests.git',
        SHA,
        '{repository}.git/commit/{sha}',
      ),
    ).toBe(`http://127.0.0.1:4000/kratix-requests.git/commit/${SHA}`);
    expect(
      writer.commitUrl(
        'https://github.com/acme/platform-requests.git',
        SHA,
        'https://git.example.com/view?repo={repository}&id={sha}',
      ),
    ).toBe(
      `https://git.example.com/view?repo=https://github.com/acme/platform-requests&id=${SHA}`,
    );
  });

  it('has no link where the forge is unknown or the URL is not a repository', () => {
    expect(
      writer.commitUrl('https://unknown.example.com/acme/requests.git', SHA),
    ).toBeUndefined();
    expect(writer.commitUrl('not a url', SHA)).toBeUndefined();
    expect(
      writer.commitUrl('https://bitbucket.example.com/other/path.git', SHA),
    ).toBeUndefined();
  });
});
