/** How an admin user appears in audit rows (platform_audit_log.actor, audit_log.actor). */
export function adminActor(adminUserId: string): string {
  return `admin:${adminUserId}`;
}
