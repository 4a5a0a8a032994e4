/*
 * A spec change Kratix has not processed yet is a normal, in-progress state: its chip is neutral
 * (outlined, primary), not the error-pink of the secondary colour.
 */
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { redisView } from '../../__fixtures__';
import { ResourceHeader } from './ResourceHeader';

describe('the "Spec change not yet reconciled" chip', () => {
  it('is neutral, not the error colour', async () => {
    await renderInTestApp(
      <ResourceHeader
        resource={{
          ...redisView('reconciled'),
          generation: 3,
          observedGeneration: 2,
        }}
        now={Date.parse('2024-01-01T00:00:00Z')}
      />,
    );
    const chip = screen
      .getByText('Spec change not yet reconciled')
      .closest('.MuiChip-root');
    expect(chip).not.toBeNull();
    expect(chip).not.toHaveClass('MuiChip-colorSecondary');
    expect(chip).toHaveClass('MuiChip-outlinedPrimary');
  });

  it('is absent once Kratix has processed the spec', async () => {
    await renderInTestApp(
      <ResourceHeader
        resource={{
          ...redisView('reconciled'),
          generation: 3,
          observedGeneration: 3,
        }}
        now={Date.parse('2024-01-01T00:00:00Z')}
      />,
    );
    expect(screen.queryByText('Spec change not yet reconciled')).toBeNull();
  });
});
