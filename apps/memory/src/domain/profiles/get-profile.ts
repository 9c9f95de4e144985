import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { asRecord, toIso, toIsoOrNull } from '../shared/serialize';

export interface GetProfileOptions {
  db: Db;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
}

/** The caller's profile at this tenant, or null when the tenant has none yet. */
export async function getProfile({ db, customerId, userId }: GetProfileOptions) {
  const profile = await withTenant(db, customerId, (tx) =>
    tx.callerProfile.findUnique({ where: { customerId_userId: { customerId, userId } } }),
  );
  if (!profile) return null;
  return {
    user_id: profile.userId,
    name: profile.name,
    quick_bio: profile.quickBio,
    variables: asRecord(profile.variables),
    call_count: profile.callCount,
    first_call_at: toIsoOrNull(profile.firstCallAt),
    last_call_at: toIsoOrNull(profile.lastCallAt),
    updated_at: toIso(profile.updatedAt),
  };
}
