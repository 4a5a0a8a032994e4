/*
 * The 403 an authorizer's denial becomes, worded as kube-apiserver's responsewriters.Forbidden and
 * apierrors.NewForbidden word it:
 *   redis.marketplace.kratix.io "cache" is forbidden: User "bob" cannot delete resource "redis" in
 *   API group "marketplace.kratix.io" in the namespace "default"
 * details name the group, the resource (as `kind`) and the object's name when there is one.
 */
import { KubeApiError, type StatusDetails } from '../store/errors';
import type { Attributes } from './attributes';

// responsewriters' sanitizer: nothing in an error may look like HTML.
const sanitize = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const quote = (value: string) => JSON.stringify(value);

export function forbiddenMessage(attributes: Attributes): string {
  const user = quote(attributes.user.username);
  if (!attributes.resourceRequest) {
    return `User ${user} cannot ${attributes.verb} path ${quote(
      attributes.path,
    )}`;
  }
  const resource = attributes.subresource
    ? `${attributes.resource}/${attributes.subresource}`
    : attributes.resource;
  const scope = attributes.namespace
    ? `in the namespace ${quote(attributes.namespace)}`
    : 'at the cluster scope';
  return `User ${user} cannot ${attributes.verb} resource ${quote(
    resource,
  )} in API group ${quote(attributes.apiGroup)} ${scope}`;
}

export function forbiddenError(
  attributes: Attributes,
  reason = '',
): KubeApiError {
  const message = sanitize(forbiddenMessage(attributes));
  const detail = reason ? `${message}: ${reason}` : message;
  const { apiGroup: group, resource, name } = attributes;
  // schema.GroupResource.String(): `resource.group`, or `resource` in the core group.
  const qualified = group ? `${resource}.${group}` : resource;
  let text: string;
  if (!group && !resource) text = `forbidden: ${detail}`;
  else if (!name) text = `${qualified} is forbidden: ${detail}`;
  else text = `${qualified} ${quote(name)} is forbidden: ${detail}`;
  // StatusDetails' fields are omitempty.
  const details: StatusDetails = {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    ...(resource ? { kind: resource } : {}),
  };
  return new KubeApiError(403, 'Forbidden', text, details);
}
