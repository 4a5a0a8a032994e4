import { Breadcrumbs, Link } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { KRATIX_PAGE_PATH } from '@kratix-backstage/plugin-kratix-common';

/** Kratix › … › the page: the way back up to the index and the Promise. */
export function KratixBreadcrumbs(props: {
  trail?: { label: string; to: string }[];
  current: string;
}) {
  return (
    <Breadcrumbs aria-label="breadcrumb" style={{ marginBottom: 8 }}>
      <Link to={KRATIX_PAGE_PATH}>Kratix</Link>
      {(props.trail ?? []).map(step => (
        <Link key={step.to} to={step.to}>
          {step.label}
        </Link>
      ))}
      <Typography>{props.current}</Typography>
    </Breadcrumbs>
  );
}
