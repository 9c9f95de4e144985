export { SERVICE_NAMES } from './service-names';
export type { ServiceName } from './service-names';
export {
  generateServiceKeyPair,
  servicePrivateJwkSchema,
  servicePublicJwkSchema,
  serviceJwksSchema,
  SERVICE_TOKEN_ALGORITHM,
} from './keys';
export type { ServicePrivateJwk, ServicePublicJwk, ServiceJwks } from './keys';
export { createServiceTokenSigner, DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS } from './sign';
export type { ServiceTokenSigner, ServiceTokenSignerOptions, SignServiceTokenOptions } from './sign';
export { createServiceTokenVerifier, ServiceAuthError } from './verify';
export type { ServiceAuth, ServiceTokenVerifier, ServiceTokenVerifierOptions } from './verify';
export { createServiceAuth, requireMatchingTenant, getAuth } from './middleware';
export type { ServiceAuthOptions, TenantCheckOptions } from './middleware';
