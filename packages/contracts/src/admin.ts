import { initContract } from '@ts-rest/core';
import { healthContract } from './health';

const c = initContract();

/** The admin service's HTTP API. Callers authenticate with a service JWT (see packages/auth). */
export const adminContract = c.router({
  health: healthContract,
});
