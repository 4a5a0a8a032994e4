import { Progress } from '@backstage/core-components';
import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
  useTheme,
} from '@material-ui/core';
import type {
  KratixResourceView,
  KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';
import { LandedGraph, stateColor } from './LandedGraph';
import { placementState, worksAlert, type WorksAlert } from './model';

const useStyles = makeStyles(theme => ({
  alert: {
    borderLeft: `4px solid`,
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(2),
    backgroundColor: theme.palette.background.default,
  },
  problems: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(3) },
  files: { margin: 0, paddingLeft: theme.spacing(2) },
  mono: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
  // Names and paths break at their own separators only, never mid-word.
  nowrap: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
  head: { '& th': { whiteSpace: 'nowrap' } },
}));

const MAX_FILES = 5;

function WorksAlertBox(props: { alert: WorksAlert }) {
  const { alert } = props;
  const classes = useStyles();
  const theme = useTheme();
  const color = {
    error: theme.palette.error.main,
    warning: theme.palette.warning?.main ?? '#ed6c02',
    info: theme.palette.info?.main ?? '#0288d1',
  }[alert.severity];
  return (
    <Box
      role="alert"
      data-testid="kratix-works-alert"
      data-severity={alert.severity}
      className={classes.alert}
      style={{ borderLeftColor: color }}
    >
      <Typography variant="subtitle2" component="p">
        {alert.title}
      </Typography>
      {alert.condition && (
        <Typography variant="body2" color="textSecondary">
          {alert.condition.type} is {alert.condition.status}
          {alert.condition.reason ? ` (${alert.condition.reason})` : ''}
          {alert.condition.message ? `: ${alert.condition.message}` : ''}
        </Typography>
      )}
      {(alert.problems.length > 0 || alert.unexplained.length > 0) && (
        <ul className={classes.problems}>
          {alert.problems.map((p, i) => (
            <li
              key={i}
              data-testid="kratix-works-problem"
              data-work={p.work}
              data-state={p.state}
            >
              <Typography variant="body2">{p.text}</Typography>
            </li>
          ))}
          {alert.unexplained.map(name => (
            <li key={name} data-testid="kratix-works-problem" data-work={name}>
              <Typography variant="body2">
                Work {name}: the platform sent no details about it.
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}

/** One row per placement: where the files go (state store, path) and which files. */
function PlacementsTable(props: { works: KratixWorkView[] }) {
  const classes = useStyles();
  const theme = useTheme();
  const rows = props.works.flatMap(work =>
    work.placements.map(placement => ({ work, placement })),
  );
  if (rows.length === 0) return null;
  return (
    <Table size="small" aria-label="Placements" data-testid="kratix-placements">
      <TableHead className={classes.head}>
        <TableRow>
          <TableCell>Work</TableCell>
          <TableCell>Destination</TableCell>
          <TableCell>State</TableCell>
          <TableCell>State store</TableCell>
          <TableCell>Files</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(({ work, placement }) => {
          const d = placement.destination;
          const state = placementState(placement);
          const shown = placement.files.slice(0, MAX_FILES);
          const more = placement.files.length - shown.length;
          return (
            <TableRow key={`${placement.namespace}/${placement.name}`}>
              <TableCell className={classes.mono}>{work.name}</TableCell>
              <TableCell className={classes.nowrap}>
                {d.name}
                {!d.found && (
                  <Typography variant="caption" color="error" component="p">
                    not found
                  </Typography>
                )}
              </TableCell>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                <span
                  style={{ color: stateColor(theme, state), fontWeight: 600 }}
                >
                  {state}
                </span>
              </TableCell>
              <TableCell className={classes.mono}>
                {d.stateStore
                  ? `${d.stateStore.kind} ${d.stateStore.name}`
                  : 'unknown'}
                {d.path && (
                  <Typography variant="caption" component="p">
                    path {d.path}
                  </Typography>
                )}
              </TableCell>
              <TableCell className={classes.nowrap}>
                {placement.files.length === 0 ? (
                  'none listed'
                ) : (
                  <ul
                    className={classes.files}
                    title={placement.files.join('\n')}
                  >
                    {shown.map(f => (
                      <li key={f}>{f}</li>
                    ))}
                    {more > 0 && <li>and {more} more</li>}
                  </ul>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Why there are no Works, from where the Resource's workflow is: not an error, said plainly. */
function noWorksText(resource: KratixResourceView): string {
  switch (resource.workflowCompletion?.state) {
    case 'completed':
      return 'No Works found: this Resource’s workflows wrote nothing for Kratix to schedule.';
    case 'failed':
      return 'No Works: the workflow failed before Kratix scheduled anything to a Destination.';
    case undefined:
      return 'No Works yet: Kratix has not reported a workflow run for this Resource.';
    default:
      return 'No Works yet: the workflow has not completed, so Kratix has not scheduled anything to a Destination.';
  }
}

/**
 * Where a Resource's workflows' output went: the Works and the Destinations Kratix placed them on,
 * as a graph and a table, with an alert naming the Works at fault when `WorksSucceeded` is not True.
 */
export function WhereItLanded(props: {
  resource: KratixResourceView;
  /** Undefined until the details are loaded (or when the backend sends none). */
  works?: KratixWorkView[];
  /** The backend's word on why it could not read the cluster's Works. */
  worksError?: string;
  loading?: boolean;
  error?: Error;
}) {
  const { resource, works, worksError, loading, error } = props;
  const alert = worksAlert(resource, works ?? []);
  return (
    <div data-testid="kratix-where-it-landed">
      {alert && <WorksAlertBox alert={alert} />}
      {worksError && (
        <Typography
          variant="body2"
          color="error"
          component="p"
          data-testid="kratix-works-error"
        >
          {worksError}
        </Typography>
      )}
      {!works && loading && <Progress />}
      {!works && !loading && error && (
        <Typography variant="caption" color="error" component="p">
          Where it landed could not be loaded ({error.message}).
        </Typography>
      )}
      {!works && !loading && !error && (
        <Typography variant="body2" color="textSecondary">
          The backend did not say where this Resource’s Works landed.
        </Typography>
      )}
      {works && works.length === 0 && !worksError && (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="kratix-no-works"
        >
          {noWorksText(resource)}
        </Typography>
      )}
      {works && works.length > 0 && (
        <>
          <LandedGraph resource={resource} works={works} />
          <Box mt={2}>
            <PlacementsTable works={works} />
          </Box>
        </>
      )}
    </div>
  );
}
