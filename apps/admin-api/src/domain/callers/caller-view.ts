import type { CallerProfile } from '@neurosphere/db';

export function toCallerListItem(profile: CallerProfile) {
  return {
    id: profile.id,
    phone: profile.userId,
    name: profile.name,
    quick_bio: profile.quickBio,
    call_count: profile.callCount,
    first_call_at: profile.firstCallAt?.toISOString() ?? null,
    last_call_at: profile.lastCallAt?.toISOString() ?? null,
  };
}
