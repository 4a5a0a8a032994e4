import { Route, Routes } from 'react-router-dom';
import { KratixPromisePage } from './KratixPromisePage';
import { KratixResourcePage } from './KratixResourcePage';

/** The plugin's pages under /kratix (paths as kratix-common's search.ts builds them). */
export function KratixPage() {
  return (
    <Routes>
      <Route
        path="/resources/:cluster/:namespace/:promise/:name"
        element={<KratixResourcePage />}
      />
      <Route path="/promises/:cluster/:name" element={<KratixPromisePage />} />
    </Routes>
  );
}
