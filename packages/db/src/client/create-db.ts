import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Prisma } from '../generated/prisma/client';
import { pgPoolOptions } from './pool-options';

/** A Prisma client bound to one PostgreSQL role (app or platform): see createDb. */
export type Db = PrismaClient;

/**
 * The client handed to work inside withTenant / withPlatform: an interactive transaction whose
 * first statement fixed the tenant (or wrote the platform audit row).
 */
export type TenantTx = Prisma.TransactionClient;

export interface CreateDbOptions {
  /** postgres:// URL; its user decides what the client may see (DATABASE_URL or DATABASE_PLATFORM_URL). */
  url: string;
  /** Maximum pooled connections (pg default 10). */
  poolMax?: number;
}

/**
 * Creates an engine-free Prisma client over node-postgres. Services use DATABASE_URL (role
 * neurosphere_app) and touch tenant data only through withTenant; the platform client
 * (DATABASE_PLATFORM_URL) is used only through withPlatform.
 */
export function createDb(options: CreateDbOptions): Db {
  // Same pool policy as createPool: connections stay open once opened.
  const adapter = new PrismaPg(pgPoolOptions({ url: options.url, max: options.poolMax }));
  return new PrismaClient({ adapter });
}
