/*
 * The catalog's side of the entity provider contract, recording every mutation: tests wait for the
 * mutation they expect (an explicit signal), never for time to pass.
 */
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';

export class RecordingConnection implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];
  private waiters: Array<() => void> = [];

  async applyMutation(mutation: EntityProviderMutation): Promise<void> {
    this.mutations.push(mutation);
    this.waiters.forEach(wake => wake());
  }

  async refresh(): Promise<void> {}

  /** The first mutation from index `from` on that matches, waiting for it up to `timeoutMs`. */
  async waitFor(
    match: (mutation: EntityProviderMutation) => boolean,
    from = 0,
    timeoutMs = 15_000,
  ): Promise<EntityProviderMutation> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mutations.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('Timed out waiting for a mutation');
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, left);
        const wake = () => done();
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(wake);
      });
      this.waiters = [];
    }
  }
}
