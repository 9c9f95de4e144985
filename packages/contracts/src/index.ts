export * from './common';
export * from './health';
export * from './templates';
export * from './memory';
export * from './sms';
export * from './orchestrator';
export * from './admin';
export * from './openapi';
