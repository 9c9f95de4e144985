export * from './fake-server';
export * from './fake-openai';
export * from './fake-elevenlabs';
export * from './fake-twilio';
export * from './health-routes';
export * from './service-env';
export * from './mail-catcher';
