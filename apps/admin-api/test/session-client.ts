// Helpers to drive sessions the way clients do: log in, keep the cookies a browser would keep.
import { CSRF_HEADER, SESSION_COOKIE_NAMES } from '@neurosphere/contracts';
import type { Express } from 'express';
import request from 'supertest';
import type { Response } from 'supertest';
import { CONSOLE_ORIGIN } from './harness';
import type { TestAdmin } from './harness';

/** One Set-Cookie header, parsed: its value and its attributes (lower-cased names). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function setCookies(response: Response): SetCookie[] {
  const raw = response.headers['set-cookie'] as unknown;
  const headers = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return headers.map((header) => {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    return {
      name: pair.slice(0, at),
      value: decodeURIComponent(pair.slice(at + 1)),
      attributes: Object.fromEntries(
        attributes.map((attribute) => {
          const eq = attribute.indexOf('=');
          return eq < 0 ? [attribute.toLowerCase(), true] : [attribute.slice(0, eq).toLowerCase(), attribute.slice(eq + 1)];
        }),
      ),
    };
  });
}

/**
 * A browser's view of a cookie session: the cookies it holds (a cookie set empty, as clearCookie
 * does, is dropped) and the headers a console request sends with them.
 */
export class CookieBrowser {
  readonly jar = new Map<string, string>();

  remember(response: Response): void {
    for (const cookie of setCookies(response)) {
      if (cookie.value === '' || cookie.attributes.expires === 'Thu, 01 Jan 1970 00:00:00 GMT') this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
  }

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  get csrfToken(): string | undefined {
    return this.jar.get(SESSION_COOKIE_NAMES.csrf);
  }

  /** Headers of a console request: cookies, Origin, and (for writes) the CSRF header. */
  headers(options: { csrf?: boolean; origin?: string } = {}): Record<string, string> {
    return {
      cookie: this.cookieHeader(),
      origin: options.origin ?? CONSOLE_ORIGIN,
      ...(options.csrf !== false && this.csrfToken ? { [CSRF_HEADER]: this.csrfToken } : {}),
    };
  }
}

/** Logs in with a bearer session; answers the response body (tokens and user). */
export async function loginBearer(app: Express, admin: Pick<TestAdmin, 'email' | 'password'>) {
  const response = await request(app).post('/v1/auth/login').send({ email: admin.email, password: admin.password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { access_token: string; refresh_token: string; user: { id: string } };
}

/** Logs in with a cookie session from the console's origin; answers the browser holding its cookies. */
export async function loginCookie(
  app: Express,
  admin: Pick<TestAdmin, 'email' | 'password'>,
): Promise<{ browser: CookieBrowser; response: Response }> {
  const browser = new CookieBrowser();
  const response = await request(app)
    .post('/v1/auth/login')
    .set('origin', CONSOLE_ORIGIN)
    .send({ email: admin.email, password: admin.password, session: 'cookie' });
  if (response.status !== 200) throw new Error(`cookie login failed: ${response.status} ${JSON.stringify(response.body)}`);
  browser.remember(response);
  return { browser, response };
}
