import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  ContentHeader,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { kratixPromisePagePath } from '@kratix-backstage/plugin-kratix-common';
import { kratixApiRef } from '../../api/KratixApi';
import { descriptionOf } from './KratixPromisePage';
import { PromiseStatus } from './promiseStatus';

const useStyles = makeStyles({
  // Fixed layout: the description wraps in the room left, so the page never scrolls sideways.
  table: { tableLayout: 'fixed', width: '100%' },
  wrap: { overflowWrap: 'anywhere' },
  head: { '& th': { whiteSpace: 'nowrap' } },
});

/**
 * The /kratix index: every Promise with its status and how many of its Resources the user may see
 * (only those: the count is the user's, never the cluster's), each linking to its page.
 */
export function KratixIndexPage() {
  const classes = useStyles();
  const api = useApi(kratixApiRef);
  const { value, error } = useAsync(async () => {
    const [promises, counts] = await Promise.all([
      api.getPromises(),
      // Without the counts the list still helps; they are shown as unknown.
      api.getPromiseResourceCounts().catch(() => undefined),
    ]);
    const countOf = new Map(
      (counts?.items ?? []).map(c => [`${c.cluster}/${c.promise}`, c.count]),
    );
    return {
      promises: promises.items,
      multiCluster: new Set(promises.items.map(p => p.cluster)).size > 1,
      errors: [...promises.errors, ...(counts?.errors ?? [])],
      count: (cluster: string, name: string) =>
        counts ? countOf.get(`${cluster}/${name}`) ?? 0 : undefined,
    };
  }, [api]);

  return (
    <Content>
      <ContentHeader
        title="Promises"
        description="What the platform offers; the Resources counted are the ones you may see"
      />
      {error && <ResponseErrorPanel error={error} />}
      {!error && !value && <Progress />}
      {value && value.errors.length > 0 && (
        <Typography variant="body2" color="error" gutterBottom>
          {value.errors.map(e => `${e.cluster}: ${e.message}`).join('; ')}
        </Typography>
      )}
      {value && (
        <Paper variant="outlined">
          <Table
            size="small"
            className={classes.table}
            aria-label="Kratix Promises"
            data-testid="kratix-promises"
          >
            <TableHead className={classes.head}>
              <TableRow>
                <TableCell style={{ width: '22%' }}>Promise</TableCell>
                <TableCell style={{ width: 140 }}>Status</TableCell>
                <TableCell style={{ width: 130 }}>Your Resources</TableCell>
                <TableCell>Description</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.promises.map(p => {
                const count = value.count(p.cluster, p.name);
                return (
                  <TableRow
                    key={`${p.cluster}/${p.name}`}
                    data-testid="kratix-promise-row"
                    data-promise={p.name}
                  >
                    <TableCell className={classes.wrap}>
                      <Link to={kratixPromisePagePath(p)}>{p.name}</Link>
                      {value.multiCluster && (
                        <Typography variant="caption" display="block">
                          {p.cluster}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <PromiseStatus promise={p} />
                    </TableCell>
                    <TableCell data-testid="kratix-promise-count">
                      {count === undefined ? '—' : count}
                    </TableCell>
                    <TableCell className={classes.wrap}>
                      {descriptionOf(p) ?? (
                        <Typography variant="body2" color="textSecondary">
                          {p.kind} · {p.group}/{p.version}
                        </Typography>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          {value.promises.length === 0 && (
            <Typography variant="body2" style={{ padding: 16 }}>
              No Promises on the platform.
            </Typography>
          )}
        </Paper>
      )}
    </Content>
  );
}
