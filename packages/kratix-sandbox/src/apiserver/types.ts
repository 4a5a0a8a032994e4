/*
 * Types shared by the API server and its certificate helper, kept apart so tls.ts and
 * ApiServer.ts need not import each other.
 */

/**
 * A serving certificate and key (PEM).
 *
 * @public
 */
export interface TlsOptions {
  cert: string;
  key: string;
}
