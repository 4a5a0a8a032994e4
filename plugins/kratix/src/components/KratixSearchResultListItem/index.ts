export * from './KratixSearchResultListItem';
export * from './KratixSearchFilters';
