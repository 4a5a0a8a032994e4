/*
 * The benches sign in as the guest, as the browser does in development: a real user token from the
 * auth backend, as an Authorization header.
 */
export async function guestHeaders(
  base: string,
): Promise<{ Authorization: string }> {
  const auth = await fetch(`${base}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = ((await auth.json()) as any).backstageIdentity.token as string;
  return { Authorization: `Bearer ${token}` };
}
