-- The tenant_invitations and tenant_api_keys foreign keys to customers no longer cascade updates
-- (ON UPDATE RESTRICT instead of Prisma's default CASCADE), like every other tenant table since
-- 20261206000100_tenant_foreign_keys_restrict_updates: Citus refuses a foreign key that contains
-- the distribution column with ON UPDATE CASCADE, and nothing changes a tenant's id.
--
-- Each key is dropped and added again in this one transaction; adding it checks the existing
-- rows, which all satisfied the same key a moment earlier.

ALTER TABLE "tenant_invitations" DROP CONSTRAINT "tenant_invitations_customer_id_fkey",
    ADD CONSTRAINT "tenant_invitations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "tenant_api_keys" DROP CONSTRAINT "tenant_api_keys_customer_id_fkey",
    ADD CONSTRAINT "tenant_api_keys_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
