import net from 'node:net';

/**
 * The address rate limits are kept per (sign-in, the LIFF click report's ID-token checks): an IPv4 address as it
 * is, an IPv6 address by its /64 network (one customer line usually holds a whole /64, so counting single addresses
 * would let one client rotate through 2^64 of them).
 */
export function sourceOf(ip: string): string {
  if (net.isIP(ip) !== 6) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
