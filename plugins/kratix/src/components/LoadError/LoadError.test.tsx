import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { httpError } from '../../__fixtures__/FakeKratixApi';
import { LoadError } from './LoadError';

jest.setTimeout(30_000);

const ciPlatform: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ci-platform', namespace: 'default' },
  spec: { owner: 'team-platform' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-platform' }],
};

async function renderError(
  status: number,
  ownership: string[],
  entity: Entity | undefined = ciPlatform,
) {
  const retries: number[] = [];
  const error = await httpError(
    status,
    'You may not read the Kratix Resources of component:default/ci-platform',
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ownership,
          }),
        ],
      ]}
    >
      <LoadError
        error={error}
        entity={entity}
        onRetry={() => retries.push(1)}
      />
    </TestApiProvider>,
  );
  return retries;
}

describe('LoadError', () => {
  it("names the entity's owner and the reader's teams on a 403, with no retry", async () => {
    await renderError(403, [
      'user:default/guest',
      'group:default/team-search',
      'group:default/guests',
    ]);
    const message = await screen.findByTestId('kratix-forbidden');
    expect(message).toHaveTextContent(
      'You are not allowed to see this entity’s Kratix Resources',
    );
    expect(message).toHaveTextContent(
      'Its Kratix Resources are for its owner, team-platform.',
    );
    expect(
      await screen.findByText(/You are in team-search and guests\./),
    ).toBeInTheDocument();
    expect(message).toHaveTextContent(/ask team-platform to add you/);
    // Retrying cannot change a permission decision.
    expect(screen.queryByRole('button', { name: /try again/i })).toBeNull();
    // Nothing but the entity: not the backend's text, nor any Resource.
    expect(message).not.toHaveTextContent(/You may not read/);
  });

  it('says when the reader is in no team, and reads the owner from spec.owner without relations', async () => {
    await renderError(403, ['user:default/guest'], {
      ...ciPlatform,
      relations: undefined,
      spec: { owner: 'group:ops/team-ops' },
    });
    expect(
      await screen.findByText(
        /You are signed in as guest, in no team the catalog knows\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kratix-forbidden')).toHaveTextContent(
      'Its Kratix Resources are for its owner, ops/team-ops.',
    );
  });

  it('keeps the retry for a transient error', async () => {
    await renderError(503, ['user:default/guest']);
    expect(
      await screen.findByText('Kratix is unavailable'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});
