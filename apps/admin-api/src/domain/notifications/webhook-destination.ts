import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go. A tenant admin chooses the URL, and the platform's own services,
 * databases and cloud metadata endpoint sit on private addresses next to admin-api: a webhook
 * must never be a way to reach them. So the host must resolve to public addresses only, checked
 * when the URL is saved (a clear 422) and again before each delivery (DNS can change).
 * `allowPrivateAddresses` (WEBHOOK_ALLOW_PRIVATE_ADDRESSES) is for development and tests, whose
 * receivers listen on 127.0.0.1.
 */
export interface WebhookDestinationPolicy {
  allowPrivateAddresses: boolean;
}

/** Loopback, private, link-local (cloud metadata), shared, reserved, multicast and unspecified ranges. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

// BlockList judges an IPv4-mapped IPv6 address (::ffff:10.0.0.1) by the IPv4 rules.
function isPublicAddress(address: string): boolean {
  return !NON_PUBLIC.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Why a webhook may not be sent to `url` under `policy`, or null when it may: the host does not
 * resolve, or one of its addresses is not public.
 */
export async function webhookDestinationProblem(url: string, policy: WebhookDestinationPolicy): Promise<string | null> {
  if (policy.allowPrivateAddresses) return null;
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return `the host ${host} does not resolve`;
  }
  const blocked = addresses.find((address) => !isPublicAddress(address));
  return blocked === undefined
    ? null
    : `the host ${host} is at ${blocked}, which is not a public address; webhooks go to public endpoints only`;
}
