/*
 * Claims on Resource events, in the plugin's database: the unique key (cluster, Resource uid, event
 * key) decides which replica sends a notification. An insert that collides means another replica,
 * or this one before a restart, already has it.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const TABLE = 'kratix_notification_claims';

export interface EventClaim {
  cluster: string;
  resourceUid: string;
  eventKey: string;
}

/** A unique-key violation, as PostgreSQL, SQLite and MySQL report it. */
function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY' ||
    /UNIQUE constraint failed/.test(message ?? '')
  );
}

export class NotificationClaims {
  /** The journal's migrations create the table (ResourceJournal.create runs them first). */
  static async create(database: DatabaseService): Promise<NotificationClaims> {
    return new NotificationClaims(await database.getClient());
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Claims an event; true when this call made the claim, false when it was already claimed.
   * `sent: false` records an event that is claimed only so that no one sends it later.
   */
  async claim(
    event: EventClaim,
    options: { sent: boolean },
    now = new Date(),
  ): Promise<boolean> {
    try {
      await this.knex(TABLE).insert({
        cluster: event.cluster,
        resource_uid: event.resourceUid,
        event_key: event.eventKey,
        sent: options.sent,
        claimed_at: now,
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Records that a claimed event was not sent after all (no one to tell). */
  async markNotSent(event: EventClaim): Promise<void> {
    await this.knex(TABLE)
      .where({
        cluster: event.cluster,
        resource_uid: event.resourceUid,
        event_key: event.eventKey,
      })
      .update({ sent: false });
  }

  /** Gives a claim back when its notification could not be sent, so a later sighting may retry. */
  async release(event: EventClaim): Promise<void> {
    await this.knex(TABLE)
      .where({
        cluster: event.cluster,
        resource_uid: event.resourceUid,
        event_key: event.eventKey,
      })
      .delete();
  }

  /** Whether another event whose key starts with `prefix` was claimed for this Resource. */
  async claimedBefore(
    resource: { cluster: string; resourceUid: string },
    prefix: string,
    exceptKey: string,
  ): Promise<boolean> {
    const row = await this.knex(TABLE)
      .where({
        cluster: resource.cluster,
        resource_uid: resource.resourceUid,
      })
      .andWhere('event_key', 'like', `${prefix}%`)
      .andWhereNot('event_key', exceptKey)
      .first('id');
    return row !== undefined;
  }

  /** Deletes claims older than the cutoff (the journal's retention); returns how many went. */
  async prune(before: Date): Promise<number> {
    return this.knex(TABLE).where('claimed_at', '<', before).delete();
  }
}
