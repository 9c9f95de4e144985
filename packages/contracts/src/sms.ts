import { initContract } from '@ts-rest/core';
import { healthContract } from './health';

const c = initContract();

/** The sms service's HTTP API. Callers authenticate with a service JWT (see packages/auth). */
export const smsContract = c.router({
  health: healthContract,
});
