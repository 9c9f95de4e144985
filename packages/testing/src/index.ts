export * from './fake-server';
export * from './fake-openai';
export * from './fake-elevenlabs';
export * from './fake-twilio';
export * from './health-routes';
export * from './ports';
export * from './service-env';
export { uniqueAccountSid, uniqueCallSid, uniqueMessageSid, uniquePhone, uniqueSuffix } from './unique-ids';
export * from './use-harness';
