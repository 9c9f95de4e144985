import type { AppRouter, FlattenAppRouter } from '@ts-rest/core';
import { createExpressEndpoints } from '@ts-rest/express';
import type { TsRestRequestHandler } from '@ts-rest/express';
import type { IRouter } from 'express';

/** What `initServer().router(contract, {...})` returns for `T` (@ts-rest/express does not export the name). */
export type ContractImplementation<T extends AppRouter> = Parameters<typeof createExpressEndpoints<T>>[1];

/**
 * Mounts a ts-rest contract implementation on `router` the platform's way:
 * - request validation failures go to `errorHandler` (400 VALIDATION_FAILED naming the field);
 * - responses are parsed through the contract's response schemas (`responseValidation`), so
 *   fields the contract does not declare are stripped and a response that breaks the contract
 *   becomes a bare 500 instead of leaking.
 * `globalMiddleware` runs before every route of the contract (e.g. `authenticateService(...)`).
 */
export function mountContract<T extends AppRouter>(
  contract: T,
  implementation: ContractImplementation<T>,
  router: IRouter,
  options: { globalMiddleware?: TsRestRequestHandler<FlattenAppRouter<T>>[] } = {},
): void {
  createExpressEndpoints(contract, implementation, router, {
    logInitialization: false,
    jsonQuery: false,
    responseValidation: true,
    globalMiddleware: options.globalMiddleware,
    requestValidationErrorHandler: (error, _req, _res, next) => next(error),
  });
}
