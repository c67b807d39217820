import { describe, expect, it } from 'vitest';
import { isInternalAddress, namesInternalHost, resolvesInternal } from './pms.outbound.ts';

describe('addresses inside Innkeeper’s own network', () => {
  it('loopback, private, link-local (cloud metadata), carrier-grade NAT, unspecified and IPv6 local ranges are internal', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect([address, isInternalAddress(address)]).toEqual([address, true]);
    }
  });

  it('public addresses are not', () => {
    for (const address of ['203.66.1.1', '8.8.8.8', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect([address, isInternalAddress(address)]).toEqual([address, false]);
  });

  it('a saved URL naming localhost or an internal literal is refused by its name; a public name is left to the call-time lookup', async () => {
    expect(['https://localhost:3910/dean/v1', 'https://api.localhost/x', 'https://[::1]/x', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.5/dean'].map(namesInternalHost)).toEqual([true, true, true, true, true]);
    expect(namesInternalHost('https://pms.hotel.example/dean/v1')).toBe(false);
    expect(await resolvesInternal('https://127.0.0.1:5432/')).toBe(true);
    expect(await resolvesInternal('https://203.66.1.1/dean/v1')).toBe(false);
  });
});
