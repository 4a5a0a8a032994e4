/*
 * Which Resource events were notified: one row per (cluster, Resource uid, event key). The unique
 * key is the claim: of several replicas seeing the same transition, only the one whose insert
 * succeeds sends, and a restarted replica finds its old transitions already claimed.
 */
// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('kratix_notification_claims', table => {
    table.bigIncrements('id');
    table.string('cluster', 253).notNullable();
    table.string('resource_uid', 64).notNullable();
    // The event and what identifies its transition, e.g. `completed|2026-12-07T10:00:00Z`.
    table.string('event_key', 512).notNullable();
    // False when claimed without sending (a transition too old when first seen, or turned off).
    table.boolean('sent').notNullable();
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.unique(['cluster', 'resource_uid', 'event_key'], {
      indexName: 'kratix_notification_claims_event',
    });
    table.index(['claimed_at'], 'kratix_notification_claims_claimed_at');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kratix_notification_claims');
};
