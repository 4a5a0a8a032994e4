/*
 * The last lines of each failed pipeline container, kept with its run (kratix.history.failedLogLines),
 * so the reason a workflow failed outlives the Pod Kratix garbage-collects. Read only under
 * kratix.resource.logs.read.
 */
// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('kratix_failed_container_logs', table => {
    table.bigIncrements('id');
    table.string('cluster', 253).notNullable();
    table.string('resource_uid', 64).notNullable();
    table.string('promise', 253).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    // The run: the Job's namespace and name, and its pipeline.
    table.string('job_namespace', 63).notNullable();
    table.string('job', 253).notNullable();
    table.string('pipeline', 253).notNullable();
    table.string('action', 32);
    table.string('container', 253).notNullable();
    table.integer('exit_code');
    table.string('reason', 253);
    table.string('started_at', 64);
    table.string('finished_at', 64);
    // JSON array of the last lines, oldest first.
    table.text('lines').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.unique(['cluster', 'job_namespace', 'job', 'container'], {
      indexName: 'kratix_failed_container_logs_run',
    });
    table.index(
      ['cluster', 'namespace', 'promise', 'name'],
      'kratix_failed_container_logs_resource',
    );
    table.index(['recorded_at'], 'kratix_failed_container_logs_recorded_at');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kratix_failed_container_logs');
};
