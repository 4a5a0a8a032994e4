import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ExtraStatusTable } from './ExtraStatusTable';

describe('ExtraStatusTable', () => {
  it('renders nested objects, lists, links and Secret names', async () => {
    render(
      <ExtraStatusTable
        status={{
          endpoints: [
            { name: 'web', url: 'https://todo.local.gd:31338/' },
            { name: 'grpc', url: 'grpc://todo:9000' },
          ],
          tags: ['a', 'b'],
          credentials: { secretName: 'db-creds', username: 'admin' },
          note: 'x'.repeat(500),
          replicas: 3,
          enabled: false,
          extras: {},
        }}
      />,
    );
    const link = screen.getByRole('link', {
      name: 'https://todo.local.gd:31338/',
    });
    expect(link).toHaveAttribute('href', 'https://todo.local.gd:31338/');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByText('grpc://todo:9000').tagName).not.toBe('A');
    expect(screen.getByText('a')).toBeInTheDocument();
    expect(screen.getByText('3')).toBeInTheDocument();
    expect(screen.getByText('false')).toBeInTheDocument();
    const secret = screen.getByTestId('kratix-secret-name');
    expect(secret).toHaveTextContent('db-creds');
    await userEvent.hover(secret);
    expect(
      await screen.findByText('Kubernetes Secret name (not resolved)'),
    ).toBeInTheDocument();
    expect(screen.getByText('admin')).toBeInTheDocument();
    expect(screen.getByText('empty')).toBeInTheDocument();
  });

  it('says when the workflow wrote nothing else', () => {
    render(<ExtraStatusTable status={{}} />);
    expect(
      screen.getByText(/wrote nothing besides the status message/),
    ).toBeInTheDocument();
  });
});
