import type { AppRouter } from '@ts-rest/core';

type Joined<Areas extends readonly AppRouter[]> = Areas extends readonly [infer First, ...infer Rest extends readonly AppRouter[]]
  ? First & Joined<Rest>
  : unknown;

/**
 * The routes of several areas as one namespace (`platform`, `tenant`), in the order given. A
 * route name that two areas both use fails when the module loads: a plain object spread would let
 * the later area silently replace the earlier one's route.
 */
export function joinAreas<const Areas extends readonly AppRouter[]>(namespace: string, ...areas: Areas): Joined<Areas> {
  const joined: AppRouter = {};
  for (const area of areas) {
    for (const [name, route] of Object.entries(area)) {
      if (name in joined) throw new Error(`admin contract: two "${namespace}" areas both name a route "${name}"`);
      joined[name] = route;
    }
  }
  return joined as Joined<Areas>;
}
