import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { LiveStatus } from './LiveStatus';

describe('LiveStatus', () => {
  it('shows why live updates stopped when the server ended the stream for too many Resources', async () => {
    const error = Object.assign(
      new Error(
        'Live updates are off for this entity: its 4000 linked Resources make a snapshot of 2.0 MiB',
      ),
      { name: 'KratixStreamLimitError' },
    );
    await renderInTestApp(
      <LiveStatus
        live={false}
        stale
        streamError={{ error, retrying: false }}
        receivedAt={new Date(0)}
        now={60_000}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      /^Live updates stopped\. Live updates are off for this entity: its 4000 linked Resources/,
    );
    expect(screen.getByRole('status')).toHaveTextContent(/It may be stale\.$/);
  });
});
