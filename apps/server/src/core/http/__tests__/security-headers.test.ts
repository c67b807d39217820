import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../security-headers.ts';

/** What helmet itself sets on a real response for these options (what @fastify/helmet did on every request). */
function helmetOnAResponse(options: HelmetOptions): Record<string, string> {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(options)(res.req, res, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.fromEntries(Object.entries(res.getHeaders()).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

describe('securityHeaders', () => {
  const options: HelmetOptions = {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'https:'], frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    hsts: false,
  };

  it('are the headers helmet sets for the same options, worked out once', () => {
    const once = securityHeaders(options);
    expect(once).toEqual(helmetOnAResponse(options));
    expect(once).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' });
    expect(once['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(once['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ ...options, hsts: true })['strict-transport-security']).toBe(helmetOnAResponse({ ...options, hsts: true })['strict-transport-security']);
  });

  it('refuses a CSP directive that depends on the request', () => {
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } } })).toThrow(/depends on the request/);
  });
});
