/** Sessions, login throttling and mailed links: from the env in production, chosen by tests. */
export interface AuthSettings {
  /** The web console's origin and base path, without a trailing slash: links in mails point here. */
  consoleUrl: string;
  /** Origins whose cookie-session writes are accepted (CSRF defence beside the token). */
  allowedOrigins: string[];
  /** Secure cookies with __Host-/__Secure- names; false only for plain-http local use. */
  secureCookies: boolean;
  sessionIdleTimeoutSeconds: number;
  sessionMaxAgeSeconds: number;
  invitationTtlSeconds: number;
  passwordResetTtlSeconds: number;
  loginThrottle: LoginThrottleSettings;
}

export interface LoginThrottleSettings {
  /** Failures of one account within the window that lock it. */
  maxFailuresPerAccount: number;
  /** Failures from one source address within the window that lock the address. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
  lockoutSeconds: number;
  /** Redis key prefix; tests give each app its own so their counters never meet. */
  keyPrefix?: string;
}
