/*
 * When a request's pull request was merged (the forge says so): until the platform applies it, the
 * request reads "merged, waiting for the platform to sync" rather than "open, waiting for review".
 */
// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('kratix_requests', table => {
    table.timestamp('pull_request_merged_at', { useTz: true });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('kratix_requests', table => {
    table.dropColumn('pull_request_merged_at');
  });
};
