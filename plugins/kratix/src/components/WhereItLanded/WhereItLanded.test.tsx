import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { redisView } from '../../__fixtures__';
import {
  WORK_NAME,
  destination,
  failingWork,
  misplacedWork,
  pendingWork,
  placement,
  redisWithWorks,
  work,
} from '../../__fixtures__/works';
import { WhereItLanded } from './WhereItLanded';

jest.setTimeout(20_000);

/**
 * The graph is lazy-loaded, and hidden (visibility: hidden) until DependencyGraph has measured its
 * nodes and laid them out: wait until its nodes are accessible, as a user would see them.
 */
async function graph() {
  const figure = await screen.findByRole('figure', { name: 'Where it landed' });
  await within(figure).findAllByRole('group', { name: /^Resource / });
  return figure;
}

describe('WhereItLanded', () => {
  it('draws Resource → Work → Destination with a "placed" edge, and the state store and files', async () => {
    await renderInTestApp(
      <WhereItLanded
        resource={redisWithWorks('WorksSucceeded')}
        works={[work()]}
      />,
    );
    const figure = await graph();
    const nodes = within(figure).getAllByTestId('kratix-landed-node');
    expect(nodes.map(n => n.getAttribute('aria-label'))).toEqual(
      expect.arrayContaining([
        'Resource example',
        `Work ${WORK_NAME}`,
        'Destination dev-cluster',
      ]),
    );
    expect(nodes).toHaveLength(3);
    // dagre laid the nodes out left to right: the graph measured and placed them
    const x = (label: string) =>
      Number(
        within(figure)
          .getByRole('group', { name: label })
          .parentElement!.getAttribute('transform')!
          .match(/translate\(([-\d.]+)/)![1],
      );
    expect(x('Resource example')).toBeLessThan(x(`Work ${WORK_NAME}`));
    expect(x(`Work ${WORK_NAME}`)).toBeLessThan(x('Destination dev-cluster'));

    const edge = within(figure).getByRole('group', {
      name: `${WORK_NAME} → dev-cluster: placed`,
    });
    expect(edge).toHaveAttribute('data-state', 'placed');
    expect(within(edge).getByText('placed')).toBeInTheDocument();
    // Resource → Work is labelled with the pipeline that wrote it
    expect(within(figure).getByText('instance-configure')).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Placements' });
    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('dev-cluster');
    expect(row).toHaveTextContent('GitStateStore default');
    expect(row).toHaveTextContent('path dev-cluster');
    expect(row).toHaveTextContent('redis-example/service.yaml');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('names the misplaced Work and the Destination whose labels no longer match', async () => {
    await renderInTestApp(
      <WhereItLanded
        resource={redisWithWorks('WorksMisplaced', [WORK_NAME])}
        works={[misplacedWork()]}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveAttribute('data-severity', 'warning');
    expect(alert).toHaveTextContent('Some Works are misplaced');
    expect(alert).toHaveTextContent(
      `Work ${WORK_NAME} is misplaced: Destination dev-cluster's labels (env=prod) no longer match selector env=dev.`,
    );
    const figure = await graph();
    const edge = within(figure).getByRole('group', {
      name: `${WORK_NAME} → dev-cluster: misplaced`,
    });
    expect(within(edge).getByText('misplaced')).toBeInTheDocument();
    expect(
      within(figure).getByRole('group', { name: 'Destination dev-cluster' }),
    ).toHaveAttribute('data-state', 'misplaced');
  });

  it('says why a Work is failing, from its placement’s condition', async () => {
    await renderInTestApp(
      <WhereItLanded
        resource={redisWithWorks('WorksFailing', [WORK_NAME])}
        works={[failingWork()]}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveAttribute('data-severity', 'error');
    expect(alert).toHaveTextContent('Some Works are failing');
    expect(alert).toHaveTextContent(
      `Work ${WORK_NAME} is failing on Destination dev-cluster: failed to push to git: authentication required`,
    );
    const figure = await graph();
    expect(
      within(figure).getByRole('group', {
        name: `${WORK_NAME} → dev-cluster: failing`,
      }),
    ).toHaveAttribute('data-state', 'failing');
  });

  it('says no Destination matches a pending Work’s selector', async () => {
    await renderInTestApp(
      <WhereItLanded
        resource={redisWithWorks('WorksPending', [WORK_NAME])}
        works={[pendingWork()]}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveAttribute('data-severity', 'info');
    expect(alert).toHaveTextContent('Some Works are not ready yet');
    expect(alert).toHaveTextContent(
      `Work ${WORK_NAME} is pending: no Destination matches selector env=staging.`,
    );
    const figure = await graph();
    expect(
      within(figure).getByRole('group', {
        name: `${WORK_NAME} → no matching Destination: pending`,
      }),
    ).toHaveAttribute('data-state', 'pending');
    // nothing was placed, so there is no placements table
    expect(screen.queryByRole('table', { name: 'Placements' })).toBeNull();
  });

  it('names Works the condition lists but the backend sent nothing about', async () => {
    await renderInTestApp(
      <WhereItLanded
        resource={redisWithWorks('WorksFailing', ['gone-work'])}
        works={[]}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Work gone-work: the platform sent no details about it.',
    );
  });

  it('says plainly that there are no Works while the workflow runs, without an alert', async () => {
    await renderInTestApp(
      <WhereItLanded resource={redisView('firstRequest')} works={[]} />,
    );
    expect(screen.getByTestId('kratix-no-works')).toHaveTextContent(
      'No Works yet: the workflow has not completed',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it('says when a completed workflow wrote no Works', async () => {
    await renderInTestApp(
      <WhereItLanded resource={redisView('reconciled')} works={[]} />,
    );
    expect(screen.getByTestId('kratix-no-works')).toHaveTextContent(
      'No Works found: this Resource’s workflows wrote nothing for Kratix to schedule.',
    );
  });

  it('says why the Works could not be read instead of claiming there are none', async () => {
    await renderInTestApp(
      <WhereItLanded
        resource={redisView('reconciled')}
        works={[]}
        worksError="Works could not be read: Cluster sandbox does not serve works.platform.kratix.io/v1alpha1"
      />,
    );
    expect(screen.getByTestId('kratix-works-error')).toHaveTextContent(
      'Cluster sandbox does not serve works.platform.kratix.io/v1alpha1',
    );
    expect(screen.queryByTestId('kratix-no-works')).not.toBeInTheDocument();
  });

  it('shows one Destination node for two Works placed on it, the worse edge state per Work', async () => {
    const other = work({
      name: 'redis-example-database-configure-9c1e0',
      pipeline: 'database-configure',
      placements: [placement({ name: 'p2' })],
    });
    const twice = work({
      placements: [
        placement({ name: 'p1' }),
        placement({
          name: 'p1b',
          state: 'pending',
          destination: destination(),
          conditions: [],
        }),
      ],
    });
    await renderInTestApp(
      <WhereItLanded
        resource={redisWithWorks('WorksSucceeded')}
        works={[twice, other]}
      />,
    );
    const figure = await graph();
    expect(
      within(figure).getAllByRole('group', { name: 'Destination dev-cluster' }),
    ).toHaveLength(1);
    expect(
      within(figure)
        .getAllByTestId('kratix-landed-edge')
        .map(e => e.getAttribute('data-state'))
        .sort(),
    ).toEqual(['pending', 'placed']);
  });
});
