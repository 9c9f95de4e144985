-- Distributes the NeuroSphere schema on Citus by tenant (docs/architecture.md §7.4). Generated from
-- the catalog of a migrated database by `pnpm --silent --filter @neurosphere/db citus-sql >
-- infra/citus/distribute.sql`; packages/db/src/distribution/distribution.int.test.ts fails when
-- this file and the migrations disagree, so do not edit it by hand.
--
-- Run it once, as the table owner, on the Citus coordinator: after CREATE EXTENSION citus, adding
-- the worker nodes and applying the migrations there (pnpm db:migrate with DATABASE_OWNER_URL
-- pointing at the coordinator). Each call distributes one table and moves its rows; a table must be
-- distributed after every table it references, which is the order below.
--
-- Before running it: these tables have triggers, and Citus distributes such a table only with
-- citus.enable_unsafe_triggers on, then fires the triggers on the shards: call_messages,
-- call_summaries, caller_context_refreshes, caller_profiles, calls, memories, personality_averages,
-- sms_messages. The memory read model (caller_contexts, migration 20261129400000) is kept by them;
-- verify it on the Citus version in use, or move its refresh into the writers, first.

-- Reference tables: shared by all tenants, a copy on every node.
-- admin_users: memberships references it by foreign key; read by email at login, before any tenant
-- is known.
SELECT create_reference_table('admin_users');
-- admin_password_resets: references admin_users; one row per password-reset mail.
SELECT create_reference_table('admin_password_resets');
-- admin_sessions: references admin_users (a reference table may reference only reference tables);
-- one row per login, read and written by the admin console only, a few times an hour per admin.
SELECT create_reference_table('admin_sessions');
-- admin_refresh_tokens: references admin_sessions; one row per token refresh of an admin session,
-- never on a call path.
SELECT create_reference_table('admin_refresh_tokens');
-- industry_templates: industry_template_versions references it; a handful of rows, changed by
-- platform admins only.
SELECT create_reference_table('industry_templates');
-- industry_template_versions: customers pins a version by foreign key (a distributed table may
-- reference only a reference table); read at every call start and by the worker.
SELECT create_reference_table('industry_template_versions');
-- number_routes: lookup_tenant_by_number reads it on every webhook before the tenant is known: a
-- copy on every node answers without asking every shard.
SELECT create_reference_table('number_routes');

-- The tenant root, distributed by its own id: it starts the colocation group every tenant table
-- joins.
SELECT create_distributed_table('customers', 'id');

-- Tenant tables, distributed by customer_id and co-located with customers: all rows of a tenant on
-- one node, so every query that names its tenant runs on that node alone.
SELECT create_distributed_table('audit_log', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('call_messages', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('call_summaries', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('caller_context_refreshes', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('caller_contexts', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('caller_profiles', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('calls', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('call_turns', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('fallback_answers', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('memberships', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('memories', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('notification_events', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('notification_deliveries', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('notification_rules', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('personality_averages', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('personality_metrics', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('phone_numbers', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('sms_messages', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('sms_opt_outs', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('sms_templates', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('support_sessions', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('tenant_api_keys', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('tenant_credentials', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('tenant_invitations', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('usage_records', 'customer_id', colocate_with => 'customers');
SELECT create_distributed_table('webhook_endpoints', 'customer_id', colocate_with => 'customers');

-- Local tables stay on the coordinator (nothing to run):
-- _prisma_migrations: the migrator's bookkeeping; migrations run on the coordinator, which passes
-- their DDL on to the shards.
-- onboarding_requests: one row per onboarding (POST /v1/platform/tenants), read and written by
-- platform admins only, never referenced nor joined with tenant rows; its customer_id is unknown
-- until the tenant exists, so it cannot be distributed.
-- platform_audit_log: append-only record of every withPlatform transaction, never referenced nor
-- joined with tenant rows; as a reference table every platform action would be written to every
-- node. Its customer_id is informational and may be null, so it cannot be distributed either.
