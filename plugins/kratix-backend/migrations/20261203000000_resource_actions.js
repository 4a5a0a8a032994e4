/*
 * What users did to Resources through Backstage (re-run, pause, resume, update, delete), so each
 * action shows on the Resource's timeline next to the conditions it caused.
 */
// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('kratix_resource_actions', table => {
    table.bigIncrements('id');
    table.string('cluster', 253).notNullable();
    table.string('resource_uid', 64).notNullable();
    table.string('promise', 253).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('action', 32).notNullable();
    table.string('actor', 512).notNullable();
    table.text('message');
    table.timestamp('acted_at', { useTz: true }).notNullable();
    table.index(
      ['cluster', 'namespace', 'promise', 'name'],
      'kratix_resource_actions_resource',
    );
    table.index(['acted_at'], 'kratix_resource_actions_acted_at');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kratix_resource_actions');
};
