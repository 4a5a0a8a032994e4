/*
 * The per-test timeout for this package (Jest's default is 5 s). Its tests start servers (the
 * sandbox's API server, a test backend) and spawn processes; on a shared 2-core machine with the
 * other core busy those steps alone can pass 5 s. Waits inside tests still end on explicit
 * signals; this only bounds how long a stuck one may take. Files that need longer set their own.
 */
jest.setTimeout(60_000);
