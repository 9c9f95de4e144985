// The first platform admin, on a platform that has none:
//   pnpm --filter @neurosphere/admin-api create-platform-admin -- --email ops@example.com
// Prints a one-time token (24 h) to set the password with POST /v1/auth/password-reset/confirm.
// Refused once a platform admin exists: platform admins then add each other (POST /v1/platform/admins).
// Needs DATABASE_PLATFORM_URL; audited in platform_audit_log as platform_admin.create_first.
import { emailSchema } from '@neurosphere/contracts';
import { parseArgs } from 'node:util';
import { createDb } from '@neurosphere/db';
import { validationError, zodIssuesToDetails } from '@neurosphere/http';
import { createFirstPlatformAdmin } from '../domain/admin-users/platform-admins';
import { parseSetPasswordEnv } from '../env';
import { cliActor, cliArgs, runCli } from './run-cli';

const USAGE = 'usage: pnpm --filter @neurosphere/admin-api create-platform-admin -- --email <email>';

runCli(async () => {
  const { values } = parseArgs({ args: cliArgs(), options: { email: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.email) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const email = emailSchema.safeParse(values.email);
  if (!email.success) throw validationError(zodIssuesToDetails(email.error.issues, '--email'));
  const env = parseSetPasswordEnv();
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 1 });
  try {
    const created = await createFirstPlatformAdmin({ platformDb, actor: cliActor(), email: email.data });
    console.log(`platform admin ${created.admin.email} created (${created.admin.id})`);
    if (created.setPasswordToken) {
      console.log(`one-time set-password token, valid until ${created.expiresAt!.toISOString()} (shown once):`);
      console.log(created.setPasswordToken);
      console.log('set the password with: POST /v1/auth/password-reset/confirm {"token": "<token>", "password": "<new password>"}');
    } else {
      console.log('the user has a password already: log in with it');
    }
    return 0;
  } finally {
    await platformDb.$disconnect();
  }
});
