import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { WorksBadge } from './WorksBadge';

describe('WorksBadge', () => {
  it('says nothing while every Work is ready', async () => {
    await renderInTestApp(
      <WorksBadge
        works={[
          {
            name: 'w1',
            state: 'ready',
            placements: [{ destination: 'dev', state: 'ready' }],
          },
        ]}
      />,
    );
    expect(screen.queryByTestId('kratix-works-badge')).toBeNull();
  });

  it('names the worst state and counts the Works in it', async () => {
    await renderInTestApp(
      <WorksBadge
        works={[
          {
            name: 'w1',
            state: 'misplaced',
            placements: [{ destination: 'dev', state: 'misplaced' }],
          },
          { name: 'w2', state: 'pending', placements: [] },
          {
            name: 'w3',
            state: 'misplaced',
            placements: [{ destination: 'prod', state: 'misplaced' }],
          },
        ]}
      />,
    );
    const badge = screen.getByTestId('kratix-works-badge');
    expect(badge).toHaveAttribute('data-state', 'misplaced');
    expect(badge).toHaveTextContent('2 Works misplaced');
  });
});
