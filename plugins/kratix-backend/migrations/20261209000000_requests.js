/*
 * The request ledger: every create, update or delete delivered through Git (a commit a GitOps agent
 * syncs, or a pull request), followed until the platform has it. The state column is what makes
 * the tracker idempotent across replicas: a row changes only `WHERE state IN ('pending', 'stale')`.
 */
// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('kratix_requests', table => {
    // Insertion order: what "older" means between requests for the same Resource.
    table.bigIncrements('seq');
    // The request id, also the Resource's kratix.backstage.io/request-id annotation.
    table.string('id', 64).notNullable().unique({
      indexName: 'kratix_requests_id',
    });
    table.string('operation', 16).notNullable();
    table.string('state', 16).notNullable();
    table.string('mode', 16).notNullable();
    table.string('cluster', 253).notNullable();
    table.string('promise', 253).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    // The entity as the request named it, and in canonical lower-case form for lookups.
    table.string('entity_ref', 512);
    table.string('entity_key', 512);
    // The entity's uid when requested, so a later entity of the same name does not inherit it.
    table.string('entity_uid', 64);
    table.string('requested_by', 512).notNullable();
    table.string('repository', 2048).notNullable();
    table.string('branch', 255).notNullable();
    table.string('path', 1024).notNullable();
    table.string('commit_sha', 64).notNullable();
    table.string('commit_url', 2048);
    table.string('pull_request_url', 2048);
    table.integer('pull_request_number');
    table.string('resource_uid', 64);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['cluster', 'namespace', 'promise', 'name', 'state'],
      'kratix_requests_target',
    );
    table.index(['entity_key', 'state'], 'kratix_requests_entity');
    table.index(['state', 'created_at'], 'kratix_requests_state');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kratix_requests');
};
