import { makeStyles } from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';

/** The overview table's look, shared by its Resource rows and its request rows. */
export const useOverviewStyles = makeStyles(theme => ({
  table: { tableLayout: 'auto' },
  row: {
    cursor: 'pointer',
    transition: 'background-color 600ms ease-out',
    '&:hover': { backgroundColor: theme.palette.action.hover },
  },
  selected: { backgroundColor: theme.palette.action.selected },
  highlighted: {
    backgroundColor: alpha(theme.palette.info?.main ?? '#0288d1', 0.18),
  },
  // Headings and short values never wrap; the message takes the room left and wraps in it, so it
  // is never cut (maxWidth 0 keeps a long message from widening the table). The table fits its
  // box: what a narrow window cannot hold gives way (pipelines hide: the detail shows them) before
  // anything scrolls sideways.
  head: { '& th': { whiteSpace: 'nowrap' } },
  nowrap: { whiteSpace: 'nowrap' },
  // Words break only when a single one is longer than the cell (a 63-character name).
  // (The theme's cells say word-break: break-word, which would break any word: undone here.)
  resource: { maxWidth: 220, overflowWrap: 'break-word', wordBreak: 'normal' },
  name: { fontWeight: 600 },
  message: {
    maxWidth: 0,
    width: '50%',
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
  wide: { [theme.breakpoints.down('md')]: { display: 'none' } },
  // Why a failed, blocked, paused or deleting Resource is so comes first, in the message column.
  reason: { fontWeight: 500, overflowWrap: 'anywhere' },
  failedReason: { color: theme.palette.error.main },
  state: { display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) },
  detailCell: {
    padding: theme.spacing(2, 2, 3),
    backgroundColor: theme.palette.background.default,
  },
  // The detail fills its row but never widens the table: its own width counts as zero.
  detail: { width: 0, minWidth: '100%' },
  toggle: { width: 32, paddingRight: 0 },
}));
