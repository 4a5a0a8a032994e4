import { Link } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';
import { requestLinkOf, type RequestLinkInfo } from '../../utils/requests';

/**
 * The request's pull request, else its commit, as a link opening the forge in a new window; the
 * label alone when the forge has no page for it.
 */
export function RequestLink(props: {
  request: KratixRequestView;
  /** Another link than the default (e.g. the commit of a pull request). */
  link?: RequestLinkInfo;
}) {
  const link = props.link ?? requestLinkOf(props.request);
  if (!link.href) {
    return (
      <Typography
        variant="body2"
        component="span"
        data-testid="kratix-request-link"
      >
        {link.label}
      </Typography>
    );
  }
  return (
    <Link
      to={link.href}
      data-testid="kratix-request-link"
      // The row toggles on click; following the link must not also fold it.
      onClick={event => event.stopPropagation()}
      onKeyDown={event => event.stopPropagation()}
    >
      {link.label}
    </Link>
  );
}
