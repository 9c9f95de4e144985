-- Number routing gets a small table of its own, so that every tenant table's keys include
-- customer_id and the schema can be distributed by customer_id (Citus, docs/architecture.md §7.4).
--
-- Why: a call or a text is routed by the number it was sent to, before the tenant is known. Until
-- now phone_numbers.e164 was unique across the platform: the one unique key without customer_id.
-- A table distributed by customer_id cannot enforce such a key, and a lookup by number would have
-- to ask every shard. number_routes holds only e164 -> customer_id: a few rows per tenant, read on
-- every webhook by lookup_tenant_by_number, written at onboarding. On Citus it is a reference
-- table (a copy on every node); phone_numbers is distributed with the other tenant tables.
--
-- Invariants:
-- * A number is routed to one tenant only: e164 is number_routes' primary key.
-- * Every phone number has a route, to its own tenant: phone_numbers (customer_id, e164)
--   references number_routes (customer_id, e164). A tenant (or a bug) cannot add a number that
--   is routed elsewhere, and a route cannot be dropped while its number exists. phone_numbers
--   keeps (customer_id, e164) unique.
-- * Only the platform role writes routes (assignPhoneNumber in packages/db, in the same
--   withPlatform transaction as the phone number). The app role has no access to the table: it
--   routes through lookup_tenant_by_number only.
-- * No foreign key from number_routes to customers: a reference table cannot reference a
--   distributed one. The phone number's own foreign key to customers ties its route to a tenant.

-- CreateTable
CREATE TABLE "number_routes" (
    "e164" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "number_routes_pkey" PRIMARY KEY ("e164")
);

-- CreateIndex
CREATE UNIQUE INDEX "number_routes_customer_id_e164_key" ON "number_routes"("customer_id", "e164");

-- Backfill: every number routes to the tenant that has it. e164 was unique platform-wide until
-- this migration, so no two rows collide. The owner reads every phone number through its
-- owner_number_lookup policy (FORCE RLS applies to it unless it is a superuser).
INSERT INTO "number_routes" ("e164", "customer_id", "created_at")
SELECT "e164", "customer_id", "created_at" FROM "phone_numbers";

-- The platform-wide key becomes a per-tenant one; the route now enforces "one tenant per number".
DROP INDEX "phone_numbers_e164_key";

-- CreateIndex
CREATE UNIQUE INDEX "phone_numbers_customer_id_e164_key" ON "phone_numbers"("customer_id", "e164");

-- AddForeignKey
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_customer_id_e164_fkey" FOREIGN KEY ("customer_id", "e164") REFERENCES "number_routes"("customer_id", "e164") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Grants: onboarding and the seed (platform role) assign numbers; the app role gets nothing.
GRANT SELECT, INSERT, UPDATE, DELETE ON "number_routes" TO neurosphere_platform;

-- Routing reads the route, then the tenant by its id. Two statements rather than a join: on Citus
-- the second is a lookup by the distribution column, answered by one shard, where a join of the
-- reference table with customers would ask them all. Same contract as before
-- (20261129000100_tenant_isolation): SECURITY DEFINER, pinned search_path, exact match on one
-- number, only (customer_id, status) out; its grants are kept by CREATE OR REPLACE.
CREATE OR REPLACE FUNCTION lookup_tenant_by_number(e164 TEXT)
RETURNS TABLE (customer_id INTEGER, status customer_status)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    routed_to INTEGER;
BEGIN
    SELECT r.customer_id INTO routed_to
      FROM public.number_routes AS r
     WHERE r.e164 = lookup_tenant_by_number.e164;
    IF routed_to IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT c.id, c.status
          FROM public.customers AS c
         WHERE c.id = routed_to;
END
$$;

-- The lookup no longer reads phone_numbers, so its owner no longer needs to see every tenant's
-- numbers.
DROP POLICY owner_number_lookup ON "phone_numbers";
