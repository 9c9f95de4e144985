// Integration-test wiring: the real app against the real PostgreSQL and Redis named by the
// environment (DATABASE_URL, DATABASE_PLATFORM_URL, DATABASE_OWNER_URL, REDIS_URL).
import type { AdminPrincipal, MembershipRoleName } from '@neurosphere/contracts';
import { loadEnv, url } from '@neurosphere/config';
import { createDb, withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestAdminUser, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createLogger } from '@neurosphere/http';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { z } from 'zod';
import { buildApp } from '../src/app';
import { createAdminTokens } from '../src/domain/auth/admin-token';
import type { AdminTokens } from '../src/domain/auth/admin-token';
import { hashPassword } from '../src/domain/auth/password-hash';

export interface Harness {
  app: Express;
  db: Db;
  platformDb: Db;
  pool: Pool;
  redis: Redis;
  tokens: AdminTokens;
  close(): Promise<void>;
}

export function startHarness(): Harness {
  const { appUrl, platformUrl } = requireTestDatabaseEnv();
  const { REDIS_URL } = loadEnv(z.object({ REDIS_URL: url }));
  const logger = createLogger({ service: 'admin-api-test', level: 'silent' });
  const pool = new Pool({ connectionString: appUrl, max: 2 });
  // lazyConnect: a client no test used never opens a socket, so quit() leaves nothing behind.
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const db = createDb({ url: appUrl, poolMax: 4 });
  const platformDb = createDb({ url: platformUrl, poolMax: 4 });
  const tokens = createAdminTokens(randomBytes(32).toString('base64'));
  return {
    app: buildApp({ logger, pool, redis, db, platformDb, tokens }),
    db,
    platformDb,
    pool,
    redis,
    tokens,
    async close() {
      await Promise.all([pool.end(), db.$disconnect(), platformDb.$disconnect()]);
      if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
      else if (redis.status === 'wait') redis.disconnect();
    },
  };
}

export interface TestAdmin {
  principal: AdminPrincipal;
  email: string;
  password: string;
}

/** An admin user with a real argon2 password and the given memberships, created via withPlatform. */
export async function createAdmin(
  platformDb: Db,
  options: {
    isPlatformAdmin?: boolean;
    memberships?: { customerId: number; role: MembershipRoleName }[];
    /** true: a random password; a string: that one; default none (tests that sign tokens directly need none). */
    password?: string | boolean;
  } = {},
): Promise<TestAdmin> {
  const password = options.password === true ? `pw-${randomBytes(12).toString('hex')}` : options.password || null;
  const user = await createTestAdminUser(platformDb, {
    isPlatformAdmin: options.isPlatformAdmin ?? false,
    passwordHash: password === null ? null : await hashPassword(password),
  });
  const memberships = options.memberships ?? [];
  if (memberships.length > 0) {
    await withPlatform(platformDb, { actor: 'test', action: 'test.create_memberships' }, (tx) =>
      tx.membership.createMany({ data: memberships.map((m) => ({ customerId: m.customerId, adminUserId: user.id, role: m.role })) }),
    );
  }
  return {
    email: user.email,
    password: password ?? '',
    principal: {
      id: user.id,
      email: user.email,
      is_platform_admin: user.isPlatformAdmin,
      memberships: memberships.map((m) => ({ customer_id: m.customerId, role: m.role })),
    },
  };
}

/** `Authorization` header value for an admin (signed directly: login itself is tested in auth.int). */
export async function bearer(tokens: AdminTokens, admin: TestAdmin): Promise<string> {
  return `Bearer ${await tokens.sign(admin.principal)}`;
}

/** Reads rows as the table owner would not: through withPlatform, like every cross-tenant read. */
export function platformRead<T>(platformDb: Db, work: Parameters<typeof withPlatform<T>>[2]): Promise<T> {
  return withPlatform(platformDb, { actor: 'test', action: 'test.read' }, work);
}
