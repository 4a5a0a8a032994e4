import { useApi } from '@backstage/core-plugin-api';
import { SearchFilter } from '@backstage/plugin-search-react';
import { kratixApiRef } from '../../api/KratixApi';

const STATES = [
  'ready',
  'in-progress',
  'failed',
  'paused',
  'blocked',
  'deleting',
  'unknown',
];

/**
 * Filters for Kratix results on the search page: by Promise (the platform's Promises) and by state.
 * @public
 */
export function KratixSearchFilters(props: { className?: string }) {
  const api = useApi(kratixApiRef);
  return (
    <>
      <SearchFilter.Select
        className={props.className}
        label="Kratix Promise"
        name="promise"
        values={async () => {
          const { items } = await api.getPromises();
          return [...new Set(items.map(p => p.name))].sort();
        }}
      />
      <SearchFilter.Select
        className={props.className}
        label="Kratix state"
        name="state"
        values={STATES}
      />
    </>
  );
}
