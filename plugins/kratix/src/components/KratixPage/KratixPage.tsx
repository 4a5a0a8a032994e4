import { Header, Page } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { KratixIndexPage } from './KratixIndexPage';
import { KratixPromisePage } from './KratixPromisePage';
import { KratixResourcePage } from './KratixResourcePage';

/**
 * The plugin's pages under /kratix (paths as kratix-common's search.ts builds them): the index of
 * Promises, a Promise, a Resource. Each page is its `Content`: the app's page layout (the new
 * frontend system's plugin header) frames them.
 */
export function KratixPage() {
  return (
    <Routes>
      <Route path="/" element={<KratixIndexPage />} />
      <Route
        path="/resources/:cluster/:namespace/:promise/:name"
        element={<KratixResourcePage />}
      />
      <Route path="/promises/:cluster/:name" element={<KratixPromisePage />} />
    </Routes>
  );
}

/** The same pages for apps on the legacy frontend system, which frame nothing: with their own header. */
export function KratixLegacyPage() {
  return (
    <Page themeId="tool">
      <Header title="Kratix" />
      <KratixPage />
    </Page>
  );
}
