import { Link } from '@backstage/core-components';
import type { ResultHighlight } from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import {
  Box,
  Chip,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import {
  KRATIX_PROMISE_SEARCH_TYPE,
  type KratixPromiseSearchDocument,
  type KratixResourceSearchDocument,
} from '@kratix-backstage/plugin-kratix-common';
import { StateChip } from '../StateChip';

/** Props of {@link KratixSearchResultListItem}. @public */
export interface KratixSearchResultListItemProps {
  result?: { location: string; title: string; text: string } & Record<
    string,
    unknown
  >;
  highlight?: ResultHighlight;
  rank?: number;
  /** The search document type; Promise documents render without a state. */
  type?: string;
}

/**
 * A Kratix Resource (state icon, status message, Promise, cluster) or Promise in search results.
 * @public
 */
export function KratixSearchResultListItem(
  props: KratixSearchResultListItemProps,
) {
  const { result, highlight } = props;
  if (!result) return null;
  const title = highlight?.fields.title ? (
    <HighlightedSearchResultText
      text={highlight.fields.title}
      preTag={highlight.preTag}
      postTag={highlight.postTag}
    />
  ) : (
    result.title
  );
  const isPromise =
    props.type === KRATIX_PROMISE_SEARCH_TYPE || Array.isArray(result.fields);
  if (isPromise) {
    const promise = result as unknown as KratixPromiseSearchDocument;
    return (
      <ListItem alignItems="flex-start" data-testid="kratix-search-promise">
        <ListItemText
          primary={<Link to={promise.location}>{title}</Link>}
          secondary={
            <>
              <Typography variant="body2" component="span">
                Promise · {promise.kind} · {promise.apiVersion}
              </Typography>
              <Box component="span" display="block" mt={0.5}>
                <Chip size="small" label={`cluster: ${promise.cluster}`} />
              </Box>
            </>
          }
        />
      </ListItem>
    );
  }
  const resource = result as unknown as KratixResourceSearchDocument;
  return (
    <ListItem alignItems="flex-start" data-testid="kratix-search-resource">
      <ListItemText
        primary={<Link to={resource.location}>{title}</Link>}
        secondary={
          <>
            <Box component="span" display="flex" alignItems="center">
              <StateChip state={resource.state} />
              <Typography
                variant="body2"
                component="span"
                data-testid="kratix-search-message"
                style={{ marginLeft: 8 }}
              >
                {resource.message}
              </Typography>
            </Box>
            <Box component="span" display="block" mt={0.5}>
              <Chip size="small" label={`Promise: ${resource.promise}`} />
              <Chip size="small" label={`cluster: ${resource.cluster}`} />
            </Box>
          </>
        }
      />
    </ListItem>
  );
}
