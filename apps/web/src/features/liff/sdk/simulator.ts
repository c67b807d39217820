import type liffCore from '@line/liff/core';
import type { ExtendedInit, LiffMockApi } from '@line/liff-mock';

/**
 * The LINE simulator (demo and tests) opens the LIFF URL with `#line-sim-liff=<base64url JSON>` instead of running the
 * LINE app. With that context, LINE's own mock plugin (@line/liff-mock) stands in for the LINE app and answers with the
 * simulator's real, verifiable ID token, so the page runs the same code as in LINE. This is the only simulator wiring.
 */
export type SimulatorContext = { liffId: string; idToken: string; accessToken: string; userId: string; channelId: string; viewType: string; apiBase: string };

const FRAGMENT = /[#&]line-sim-liff=([^&]+)/;
const STORAGE_KEY = 'innkeeper.line-sim-liff';

function decodeBase64Url(value: string): string {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '==='.slice((base64.length + 3) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

function isContext(value: unknown): value is SimulatorContext {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.liffId === 'string' && typeof record.idToken === 'string' && typeof record.userId === 'string';
}

/** Reads (and removes from the address bar) the simulator's context; kept for this tab so a reload still works. */
export function takeSimulatorContext(): SimulatorContext | undefined {
  const match = FRAGMENT.exec(window.location.hash);
  if (match?.[1]) {
    try {
      const context: unknown = JSON.parse(decodeBase64Url(match[1]));
      if (isContext(context)) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(context));
    } catch {
      // A damaged fragment: behave as if opened without the simulator.
    }
    // The ID token must not stay in the URL (history, screenshots, shared links).
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
  }
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    const context: unknown = stored ? JSON.parse(stored) : undefined;
    return isContext(context) ? context : undefined;
  } catch {
    return undefined;
  }
}

type Claims = { sub?: string; name?: string; picture?: string; iss?: string; aud?: string; exp?: number; iat?: number; amr?: string[] };

function claimsOf(idToken: string): Claims {
  try {
    return JSON.parse(decodeBase64Url(idToken.split('.')[1] ?? '')) as Claims;
  } catch {
    return {};
  }
}

type Liff = typeof liffCore;
/** liff-mock is typed against the full SDK; the pluggable core accepts it the same way at run time. */
type LiffExtension = Parameters<Liff['use']>[0];

/** `liff.use(new LiffMockPlugin()); await liff.init({ liffId, mock: true }); liff.$mock.set(…)`, fed by the simulator. */
export async function initSimulatedLiff(liff: Liff, context: SimulatorContext): Promise<void> {
  const { LiffMockPlugin } = await import('@line/liff-mock');
  liff.use(new LiffMockPlugin() as unknown as LiffExtension);
  await (liff.init as ExtendedInit)({ liffId: context.liffId, mock: true });
  const claims = claimsOf(context.idToken);
  const $mock = (liff as unknown as { $mock: LiffMockApi }).$mock;
  $mock.set((previous) => ({
    ...previous,
    isInClient: true,
    isLoggedIn: true,
    getIDToken: context.idToken,
    getAccessToken: context.accessToken,
    getDecodedIDToken: { iss: claims.iss ?? 'https://access.line.me', sub: claims.sub ?? context.userId, aud: claims.aud ?? '', exp: claims.exp ?? 0, iat: claims.iat ?? 0, amr: claims.amr ?? [], ...(claims.name ? { name: claims.name } : {}), ...(claims.picture ? { picture: claims.picture } : {}) },
    getProfile: { userId: claims.sub ?? context.userId, displayName: claims.name ?? '', ...(claims.picture ? { pictureUrl: claims.picture } : {}) },
    getLanguage: navigator.language || 'zh-TW',
    getContext: { type: 'utou', userId: context.userId, liffId: context.liffId, viewType: context.viewType === 'compact' || context.viewType === 'tall' ? context.viewType : 'full', endpointUrl: `${window.location.origin}${window.location.pathname}`, availability: {} } as never,
  }));
}
