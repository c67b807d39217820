import liff from '@line/liff/core';
import CloseWindowModule from '@line/liff/close-window';
import GetDecodedIDTokenModule from '@line/liff/get-decoded-id-token';
import GetIDTokenModule from '@line/liff/get-id-token';
import GetLanguageModule from '@line/liff/get-language';
import GetProfileModule from '@line/liff/get-profile';
import IsInClientModule from '@line/liff/is-in-client';
import IsLoggedInModule from '@line/liff/is-logged-in';
import LoginModule from '@line/liff/login';
import { initSimulatedLiff, takeSimulatorContext } from './simulator.ts';

/** What the page needs from LINE: who the guest is (a verifiable ID token), their LINE language, and a way out. */
export type LiffSession = {
  idToken: string;
  displayName: string | null;
  pictureUrl: string | null;
  /** liff.getLanguage(), e.g. `zh-TW`, `en-US`. */
  language: string;
  simulated: boolean;
  /** liff.closeWindow(); resolves false when the page is still open afterwards (outside the LINE app). */
  close: () => Promise<boolean>;
};

/** 'outside': opened in an ordinary browser and asked not to sign in (a tracked link: counted anonymously). */
export type LiffStart = { kind: 'ready'; session: LiffSession } | { kind: 'redirecting' } | { kind: 'outside' };

export class LiffSetupError extends Error {
  readonly reason: 'no_liff_id' | 'no_token' | 'init_failed';
  constructor(reason: LiffSetupError['reason'], cause?: unknown) {
    super(reason, cause === undefined ? undefined : { cause });
    this.reason = reason;
  }
}

let started: Promise<LiffStart> | undefined;

/**
 * Starts LINE's LIFF SDK once per page (the pluggable build with only the APIs used here, to keep the page small).
 * Opened by the LINE simulator it runs on LINE's mock plugin; otherwise on the real SDK, signing in outside LINE.
 */
export function startLiff(liffId: string | null, options: { login?: boolean } = {}): Promise<LiffStart> {
  started ??= start(liffId, options.login ?? true).catch((error: unknown) => {
    started = undefined;
    throw error instanceof LiffSetupError ? error : new LiffSetupError('init_failed', error);
  });
  return started;
}

async function start(liffId: string | null, login: boolean): Promise<LiffStart> {
  // The mock plugin needs isInClient installed before it (LINE's note for the pluggable SDK).
  liff.use(new IsInClientModule());
  const simulator = takeSimulatorContext();
  if (simulator) {
    await initSimulatedLiff(liff, simulator);
  } else {
    if (!liffId) throw new LiffSetupError('no_liff_id');
    for (const module of [new LoginModule(), new IsLoggedInModule(), new GetIDTokenModule(), new GetDecodedIDTokenModule(), new GetProfileModule(), new GetLanguageModule(), new CloseWindowModule()]) liff.use(module);
    await liff.init({ liffId });
    if (!liff.isLoggedIn()) {
      if (!login) return { kind: 'outside' };
      // Outside the LINE app (an ordinary browser): LINE Login, then back to this very URL.
      liff.login({ redirectUri: window.location.href });
      return { kind: 'redirecting' };
    }
  }

  const idToken = liff.getIDToken();
  if (!idToken) throw new LiffSetupError('no_token');
  const decoded = liff.getDecodedIDToken();
  let displayName = decoded?.name ?? null;
  let pictureUrl = decoded?.picture ?? null;
  if (!displayName) {
    try {
      const profile = await liff.getProfile();
      displayName = profile.displayName;
      pictureUrl = profile.pictureUrl ?? pictureUrl;
    } catch {
      // The name is a greeting only; the server knows the guest from the ID token.
    }
  }

  return {
    kind: 'ready',
    session: {
      idToken,
      displayName,
      pictureUrl,
      language: liff.getLanguage(),
      simulated: simulator !== undefined,
      close: async () => {
        liff.closeWindow();
        // The simulator opened this page in a browser tab: close it as LINE would close the LIFF view.
        if (simulator) window.close();
        await new Promise((resolve) => setTimeout(resolve, 400));
        return window.closed;
      },
    },
  };
}
