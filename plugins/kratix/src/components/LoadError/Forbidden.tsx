import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import {
  RELATION_OWNED_BY,
  parseEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { Paper, Typography, makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(2, 3) },
  line: { marginTop: theme.spacing(1) },
}));

/** Who owns the entity: its ownedBy relations (what the catalog resolved), else its spec.owner. */
export function entityOwnersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) return related;
  const owner = entity.spec?.owner;
  return typeof owner === 'string' && owner ? [owner] : [];
}

/** `team-checkout` for `group:default/team-checkout`; kind and namespace only when not the usual. */
function shortName(ref: string, defaultKind = 'group'): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref, { defaultKind }), {
      defaultKind,
    });
  } catch {
    return ref;
  }
}
const teamName = (ref: string) => shortName(ref);

function list(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * A 403 on an entity's Kratix Resources, said plainly: who owns the entity (and so whom to ask),
 * which teams the reader is in, and no retry (retrying cannot change a permission decision). It
 * names nothing about the Resources themselves: only the entity, which the reader already sees.
 */
export function Forbidden(props: { entity?: Entity }) {
  const { entity } = props;
  const classes = useStyles();
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const owners = entity ? entityOwnersOf(entity).map(teamName) : [];
  const teams = (identity.value?.ownershipEntityRefs ?? [])
    .filter(ref => {
      try {
        return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group';
      } catch {
        return false;
      }
    })
    .map(teamName);

  let yours: string | undefined;
  if (identity.value) {
    yours =
      teams.length > 0
        ? `You are in ${list(teams)}.`
        : `You are signed in as ${shortName(
            identity.value.userEntityRef,
            'user',
          )}, in no team the catalog knows.`;
  } else if (identity.error) {
    yours = 'Your teams could not be read.';
  }

  return (
    <Paper
      variant="outlined"
      className={classes.root}
      data-testid="kratix-forbidden"
    >
      <Typography variant="h6" component="h2">
        You are not allowed to see this entity’s Kratix Resources
      </Typography>
      <Typography variant="body1" className={classes.line}>
        {owners.length > 0
          ? `Its Kratix Resources are for its owner, ${list(owners)}.`
          : 'This entity names no owner, so only your Backstage administrators can grant access.'}{' '}
        {yours}
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.line}
      >
        {owners.length > 0
          ? `To see them, ask ${list(
              owners,
            )} to add you to their team, or your Backstage administrators to change the permission policy.`
          : 'Ask them to change the permission policy (kratix.resource.read).'}
      </Typography>
    </Paper>
  );
}
