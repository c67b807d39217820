import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where Innkeeper may call a hotel's PMS. A tenant administrator types the PMS address, and the server calls it with
 * the hotel's key, every 15 minutes and on "test": an address inside Innkeeper's own network (loopback, private
 * ranges, link-local and the cloud metadata address, carrier-grade NAT, IPv6 unique-local) would let one tenant probe
 * or reach services that are not theirs. Such addresses are refused unless the operator allows them
 * (PMS_ALLOW_PRIVATE_NETWORK, on in the demo and tests: the simulator listens on 127.0.0.1; a self-hosted Innkeeper
 * on the hotel's own LAN may need it too).
 */
const INTERNAL = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) INTERNAL.addSubnet(net, prefix, 'ipv6');

/** True for an address of Innkeeper's own network (IPv4-mapped IPv6 addresses are judged as the IPv4 they carry). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/** The check when an address is saved: a literal internal address or a local name (no DNS lookup: that is at call time). */
export function namesInternalHost(url: string): boolean {
  const host = hostOf(url).toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || isInternalAddress(host);
}

/**
 * The check before each call: every address the name resolves to must be outside Innkeeper's network. (A name whose
 * answer changes between this lookup and the connection is not caught here; redirects are refused by the caller.)
 */
export async function resolvesInternal(url: string): Promise<boolean> {
  const host = hostOf(url);
  if (namesInternalHost(url)) return true;
  if (isIP(host)) return false;
  const addresses = await lookup(host, { all: true, verbatim: true });
  return addresses.some((a) => isInternalAddress(a.address));
}
