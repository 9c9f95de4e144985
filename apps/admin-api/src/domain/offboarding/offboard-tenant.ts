import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { OffboardTenantResponse } from '@neurosphere/contracts';
import { Prisma, withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import { releaseTenantNumber } from '../numbers/tenant-numbers';
import type { PlatformOperations } from '../platform/platform-operations';
import { adminActor } from '../shared/actor';
import { tenantTablesInDeleteOrder } from './tenant-tables';

export interface OffboardTenantOptions {
  platformDb: Db;
  operations: PlatformOperations;
  actorId: string;
  customerId: number;
  dryRun: boolean;
  /** Must equal the tenant's business name for a real offboarding. */
  confirmBusinessName?: string;
}

type Step = OffboardTenantResponse['steps'][number];

/** Rows exported per query. */
const EXPORT_BATCH = 1000;
/**
 * Columns that hold secrets, never written to an archive: encrypted or hashed ones (`secret_*`:
 * tenant keys, API keys, invitations) and webhook signing secrets kept readable (`secret`,
 * `previous_secret`). Their timestamps (`..._at`) are not secrets and stay.
 */
const isSecretColumn = (column: string) => /(^|_)secret(_|$)/.test(column) && !column.endsWith('_at');
/** Heard by a caller dialing a number of a tenant being offboarded, until the number is released. */
const OFFBOARDING_MESSAGE = 'This number is no longer in service.';

/**
 * Offboards a tenant, each step audited: suspend it, export every row of every tenant table to a
 * JSON-lines archive (secret columns left out), release its numbers (bought ones back to Twilio,
 * attached ones detached), close its Twilio sub-account, then erase its rows. A dry run reads and
 * reports what each step would do, and changes nothing. A run that stops half-way (Twilio down) is
 * run again: every step is safe to repeat.
 */
export async function offboardTenant(options: OffboardTenantOptions): Promise<OffboardTenantResponse> {
  const { platformDb, operations, customerId, dryRun } = options;
  const actor = adminActor(options.actorId);
  const plan = await withPlatform(
    platformDb,
    { actor, action: dryRun ? 'tenant.offboard.dry_run' : 'tenant.offboard.plan', customerId },
    async (tx) => {
      const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { businessName: true } });
      if (!customer) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
      const tables = await tenantTablesInDeleteOrder(tx);
      const rows: Record<string, number> = {};
      for (const table of tables) {
        const [counted] = await tx.$queryRaw<Array<{ count: bigint }>>(
          Prisma.sql`SELECT count(*) AS count FROM ${Prisma.raw(`"${table}"`)} WHERE customer_id = ${customerId}`,
        );
        rows[table] = Number(counted?.count ?? 0);
      }
      rows.customers = 1;
      const numbers = await tx.phoneNumber.findMany({ where: { customerId }, select: { e164: true, origin: true, twilioSid: true } });
      const subaccount = await tx.tenantCredential.findUnique({
        where: { customerId_provider: { customerId, provider: 'twilio_subaccount' } },
        select: { accountIdentifier: true },
      });
      return { businessName: customer.businessName, tables, rows, numbers, subaccountSid: subaccount?.accountIdentifier ?? null };
    },
  );

  const status = dryRun ? ('planned' as const) : ('done' as const);
  const steps: Step[] = [];
  if (!dryRun) {
    if (options.confirmBusinessName !== plan.businessName) {
      throw validationError([
        { path: 'body.confirm_business_name', message: 'must repeat the tenant’s business name exactly to offboard it' },
      ]);
    }
    if (!operations.offboardingArchiveDir)
      throw new AppError(
        'UNAVAILABLE',
        'OFFBOARDING_ARCHIVE_DIR is not configured on the admin-api: the tenant’s rows cannot be archived, so nothing is erased',
      );
    await withPlatform(platformDb, { actor, action: 'tenant.offboard.suspend', customerId }, (tx) =>
      tx.customer.update({ where: { id: customerId }, data: { status: 'suspended', suspendedMessage: OFFBOARDING_MESSAGE } }),
    );
  }

  // 1. Export.
  const archivePath = dryRun ? null : await exportTenant(options, plan.tables);
  steps.push({
    step: 'export',
    description: 'Every row of every tenant table, as JSON lines (secret columns left out)',
    status,
    details: { tables: plan.tables.length + 1, archive_path: archivePath },
  });

  // 2. Release the numbers.
  const released: Array<{ phone_number: string; released_from_twilio: boolean }> = [];
  if (!dryRun) {
    for (const number of plan.numbers) {
      const result = await releaseTenantNumber({ platformDb, operations, actorId: options.actorId, customerId, e164: number.e164 });
      released.push({ phone_number: number.e164, released_from_twilio: result.releasedFromTwilio });
    }
  }
  steps.push({
    step: 'release_numbers',
    description: 'Bought numbers go back to Twilio; attached numbers are detached (webhooks cleared)',
    status: plan.numbers.length === 0 ? 'skipped' : status,
    details: { numbers: dryRun ? plan.numbers.map((number) => ({ phone_number: number.e164, origin: number.origin })) : released },
  });

  // 3. Close the sub-account.
  if (!dryRun && plan.subaccountSid) {
    await operations.twilio.closeSubaccount(plan.subaccountSid);
    await withPlatform(
      platformDb,
      { actor, action: 'tenant.offboard.close_subaccount', customerId, details: { account_sid: plan.subaccountSid } },
      async () => undefined,
    );
  }
  steps.push({
    step: 'close_subaccount',
    description: 'The tenant’s Twilio sub-account is closed',
    status: plan.subaccountSid ? status : 'skipped',
    details: { account_sid: plan.subaccountSid },
  });

  // 4. Erase.
  if (!dryRun) await eraseTenant(options, plan.tables, plan.rows);
  steps.push({
    step: 'erase',
    description: 'Every row of the tenant is deleted; the platform audit log keeps the trail',
    status,
    details: { rows: plan.rows },
  });

  return { success: true, customer_id: customerId, dry_run: dryRun, steps, rows: plan.rows, archive_path: archivePath };
}

/** Writes the archive next to its final name and renames it once complete, so a partial file is never taken for an archive. */
async function exportTenant(options: OffboardTenantOptions, tables: string[]): Promise<string> {
  const { platformDb, customerId } = options;
  const dir = options.operations.offboardingArchiveDir!;
  await mkdir(dir, { recursive: true });
  const finalPath = path.join(dir, `tenant-${customerId}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const partialPath = `${finalPath}.partial`;
  const out = createWriteStream(partialPath, { flags: 'wx', mode: 0o600 });
  const write = async (line: unknown) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  const counts = await withPlatform(
    platformDb,
    { actor: adminActor(options.actorId), action: 'tenant.offboard.export', customerId, details: { archive: path.basename(finalPath) } },
    async (tx) => {
      const exported: Record<string, number> = {};
      await write({ kind: 'archive', customer_id: customerId, exported_at: new Date().toISOString() });
      const [customer] = await tx.$queryRaw<
        Array<{ row: Record<string, unknown> }>
      >`SELECT row_to_json(c) AS row FROM customers c WHERE c.id = ${customerId}`;
      await write({ table: 'customers', row: customer?.row });
      exported.customers = 1;
      for (const table of [...tables].reverse()) {
        exported[table] = 0;
        // Paged by physical row position: every table has one (not every table has an id column,
        // e.g. number_routes), and it is stable within this transaction's snapshot.
        for (let after = '(0,0)'; ;) {
          const rows = await tx.$queryRaw<Array<{ id: string; row: Record<string, unknown> }>>(
            Prisma.sql`SELECT t.ctid::text AS id, row_to_json(t) AS row FROM ${Prisma.raw(`"${table}"`)} t
                      WHERE t.customer_id = ${customerId} AND t.ctid > ${after}::tid ORDER BY t.ctid LIMIT ${EXPORT_BATCH}`,
          );
          for (const { row } of rows)
            await write({ table, row: Object.fromEntries(Object.entries(row).filter(([column]) => !isSecretColumn(column))) });
          exported[table] += rows.length;
          if (rows.length < EXPORT_BATCH) break;
          after = rows[rows.length - 1]!.id;
        }
      }
      return exported;
    },
    { timeout: 300_000 },
  );
  await write({ kind: 'end', rows: counts });
  out.end();
  await once(out, 'finish');
  await rename(partialPath, finalPath);
  return finalPath;
}

/**
 * Deletes the tenant's rows in two transactions. The first empties every tenant table: the memory
 * read model's commit-time trigger then finds the tenant's callers gone while the tenant row still
 * exists (the trigger's own writes reference it). The second removes what that left and the
 * tenant itself.
 */
async function eraseTenant(options: OffboardTenantOptions, tables: string[], rows: Record<string, number>): Promise<void> {
  const { platformDb, customerId } = options;
  const actor = adminActor(options.actorId);
  const deleteAll = (tx: Parameters<Parameters<typeof withPlatform>[2]>[0]) => async (table: string) => {
    await tx.$executeRaw(Prisma.sql`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE customer_id = ${customerId}`);
  };
  await withPlatform(
    platformDb,
    { actor, action: 'tenant.offboard.erase', customerId, details: { rows } },
    async (tx) => {
      for (const table of tables) await deleteAll(tx)(table);
    },
    { timeout: 300_000 },
  );
  await withPlatform(platformDb, { actor, action: 'tenant.offboard.erase_tenant', customerId }, async (tx) => {
    for (const table of tables) await deleteAll(tx)(table);
    await tx.customer.delete({ where: { id: customerId } });
  });
}
