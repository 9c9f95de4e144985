// What benchmarks reuse of the end-to-end support: the platform as separate processes, and the
// platform team's first steps on an empty platform.
export { startPlatformStack } from './platform-stack';
export type { PlatformStack, PlatformStackOptions } from './platform-stack';
export { call, firstPlatformAdminSession, publishSeedTemplate } from './onboard-business';
export { TwilioCall } from './twilio-phone';
export type { AgentAnswer } from './twilio-phone';
export { uniquePhone } from '@neurosphere/testing';
