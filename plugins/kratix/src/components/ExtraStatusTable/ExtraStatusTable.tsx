import {
  Link,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import LockIcon from '@material-ui/icons/Lock';

const useStyles = makeStyles(theme => ({
  // Keys are identifiers: never broken mid-word (the key column takes the width of its longest key);
  // values take the rest and wrap anywhere (long URLs, hashes).
  table: { tableLayout: 'auto', width: '100%' },
  key: {
    width: '1%',
    whiteSpace: 'nowrap',
    verticalAlign: 'top',
    fontWeight: 500,
    fontFamily: theme.typography.fontFamily,
    paddingLeft: 0,
  },
  value: {
    verticalAlign: 'top',
    overflowWrap: 'anywhere',
    whiteSpace: 'pre-wrap',
    paddingRight: 0,
  },
  list: { margin: 0, paddingLeft: theme.spacing(2.5) },
  secret: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontFamily: 'monospace',
  },
  lock: { fontSize: '1rem', color: theme.palette.text.secondary },
  muted: { color: theme.palette.text.secondary, fontStyle: 'italic' },
}));

const URL_PATTERN = /^https?:\/\/[^\s]+$/i;

/** Keys that name a Kubernetes Secret: shown as a name, never looked up. */
export function isSecretKey(key: string): boolean {
  return /secret/i.test(key);
}

export function isUrl(value: string): boolean {
  return URL_PATTERN.test(value.trim());
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function Value(props: { name: string; value: unknown }) {
  const { name, value } = props;
  const classes = useStyles();
  if (value === null || value === undefined) {
    return <span className={classes.muted}>empty</span>;
  }
  if (isRecord(value)) {
    return Object.keys(value).length === 0 ? (
      <span className={classes.muted}>empty</span>
    ) : (
      <StatusTable value={value} />
    );
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className={classes.muted}>none</span>;
    return (
      <ol className={classes.list}>
        {value.map((item, index) => (
          <li key={index}>
            <Value name={name} value={item} />
          </li>
        ))}
      </ol>
    );
  }
  const text = String(value);
  if (typeof value === 'string' && isSecretKey(name)) {
    return (
      <Tooltip title="Kubernetes Secret name (not resolved)">
        <span className={classes.secret} data-testid="kratix-secret-name">
          <LockIcon className={classes.lock} aria-label="Secret" />
          {text}
        </span>
      </Tooltip>
    );
  }
  if (typeof value === 'string' && isUrl(text)) {
    return (
      <Link href={text.trim()} target="_blank" rel="noopener noreferrer">
        {text}
      </Link>
    );
  }
  return <>{text}</>;
}

function StatusTable(props: { value: Record<string, unknown> }) {
  const classes = useStyles();
  return (
    <Table size="small" className={classes.table}>
      <TableBody>
        {Object.entries(props.value).map(([key, value]) => (
          <TableRow key={key}>
            <TableCell component="th" scope="row" className={classes.key}>
              {key}
            </TableCell>
            <TableCell className={classes.value}>
              <Value name={key} value={value} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Everything the workflow wrote besides the message, as a readable table: nested objects as nested
 * tables, lists as lists, long values wrapped, URLs as links, Secret names as names with a lock.
 */
export function ExtraStatusTable(props: { status: Record<string, unknown> }) {
  const classes = useStyles();
  if (Object.keys(props.status).length === 0) {
    return (
      <Typography variant="body2" className={classes.muted}>
        The workflow wrote nothing besides the status message.
      </Typography>
    );
  }
  return (
    <div data-testid="kratix-extra-status">
      <StatusTable value={props.status} />
    </div>
  );
}
