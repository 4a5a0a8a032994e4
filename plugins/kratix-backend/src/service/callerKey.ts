/*
 * Who is calling, as a key for per-caller limits (open streams, dry runs): a user by their entity
 * ref, a service by its subject.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';

export function callerKey(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.type === 'user' ? `user:${p.userEntityRef}` : `service:${p.subject}`;
}
