/*
 * The error of a Git delivery the repository or its forge refused or could not take: a rejected push
 * (credentials, a hook, a protected branch), an unreachable server, a failed pull request. Its
 * message names the repository and never its credentials: it reaches users.
 */

/**
 * A repository or its forge did not take a delivery; answered as 502 (the error handler reads
 * `statusCode`).
 *
 * @public
 */
export class KratixDeliveryError extends Error {
  /** The repository's URL, without credentials. */
  readonly repository: string;
  readonly statusCode = 502;

  constructor(repository: string, message: string) {
    super(message);
    this.name = 'KratixDeliveryError';
    this.repository = repository;
  }
}
