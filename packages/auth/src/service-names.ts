/** Every service that signs or receives service tokens; a token's `iss` and `aud` are one of these. */
export const SERVICE_NAMES = ['gateway', 'orchestrator', 'memory', 'sms', 'admin-api', 'worker'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
