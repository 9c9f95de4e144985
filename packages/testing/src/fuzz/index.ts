export * from './zod-arbitrary';
export * from './fuzz-routes';
