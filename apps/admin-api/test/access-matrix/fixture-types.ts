import type { PlatformHarness, TestAdmin } from '../harness';

/** The parts of a request a route's example fills in; path params default to the subject tenant. */
export interface ExampleRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One seeded tenant of the matrix's world, with ids its routes need and strings only it contains. */
export interface SeededTenant {
  customerId: number;
  businessName: string;
  callId: string;
  callSid: string;
  callerId: string;
  callerPhone: string;
  owner: TestAdmin;
  /** Strings that only this tenant's data contains: none may ever appear in an answer about the other tenant. */
  markers: string[];
}

export interface FixtureContext {
  /** Twilio, OpenAI and ElevenLabs are fakes on 127.0.0.1 (the platform operations' routes call them). */
  harness: PlatformHarness;
  /** The tenant every tenant route is called for (the members and API keys calling are of this tenant). */
  tenant: SeededTenant;
  /** The other tenant, whose data must never appear. */
  other: SeededTenant;
  /** The admin calling, when the caller is a session (for routes that need its password). */
  caller: TestAdmin | null;
  /** A unique string for this call (emails, names, numbers that must not collide). */
  unique: string;
}

/**
 * An example request that the route must accept (2xx) from every caller its access metadata
 * allows. Called once per caller, so a route that consumes something (a refresh token, an
 * invitation, a member to remove) makes a fresh one each time.
 */
export type AccessFixture = (context: FixtureContext) => ExampleRequest | Promise<ExampleRequest>;

/** One area's examples, keyed `<namespace>.<route name>` as in adminApiContract (e.g. `tenant.listCalls`). */
export type AreaFixtures = Record<string, AccessFixture>;
