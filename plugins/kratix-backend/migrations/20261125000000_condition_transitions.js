/*
 * Every condition transition the watches saw, per Resource. The unique key makes recording
 * idempotent: however many backend replicas watch the same cluster, each transition is one row.
 */
// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('kratix_condition_transitions', table => {
    table.bigIncrements('id');
    table.string('cluster', 253).notNullable();
    table.string('resource_uid', 64).notNullable();
    table.string('promise', 253).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('condition_type', 316).notNullable();
    table.string('status', 16).notNullable();
    table.string('reason', 1024).notNullable().defaultTo('');
    table.text('message');
    // lastTransitionTime as the cluster wrote it (RFC 3339), or when first seen if it wrote none.
    table.string('transition_time', 40).notNullable();
    table.bigInteger('generation');
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.unique(
      [
        'cluster',
        'resource_uid',
        'condition_type',
        'status',
        'reason',
        'transition_time',
      ],
      { indexName: 'kratix_condition_transitions_once' },
    );
    table.index(
      ['cluster', 'namespace', 'promise', 'name'],
      'kratix_condition_transitions_resource',
    );
    table.index(['recorded_at'], 'kratix_condition_transitions_recorded_at');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kratix_condition_transitions');
};
