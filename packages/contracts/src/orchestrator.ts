import { initContract } from '@ts-rest/core';
import { healthContract } from './health';

const c = initContract();

/** The orchestrator service's HTTP API. Callers authenticate with a service JWT (see packages/auth). */
export const orchestratorContract = c.router({
  health: healthContract,
});
