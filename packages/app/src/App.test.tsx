import { render, screen } from '@testing-library/react';
import App from './App';

jest.setTimeout(30_000);

describe('App', () => {
  it('starts on the sign-in page that offers guest sign-in, under the configured title', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Kratix test app' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // The app booted its plugins and reached the sign-in page: the guest provider is offered.
    expect(
      await screen.findByText(/Enter as a Guest User/, undefined, {
        timeout: 20_000,
      }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Kratix test app')).toBeInTheDocument();
  });
});
