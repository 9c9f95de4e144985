import { initContract } from '@ts-rest/core';
import { healthContract } from './health';

const c = initContract();

/** The memory service's HTTP API. Callers authenticate with a service JWT (see packages/auth). */
export const memoryContract = c.router({
  health: healthContract,
});
