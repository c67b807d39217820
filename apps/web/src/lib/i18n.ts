import { DEFAULT_LOCALE, LOCALES, MEMBER_VALUE_LABELS, type Locale, type MemberValueLabels } from '@innkeeper/contracts';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type en from '../locales/en.json';
import zhTW from '../locales/zh-TW.json';
import { applyDayjsLocale } from './datetime.ts';

// Compile-time guarantee that both languages define exactly the same keys.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: SameShape<typeof zhTW, typeof en> = true;
void sameShape;

/**
 * A locale file plus the words for member codes, which live in @innkeeper/contracts because the server's exports use
 * them too (one source, so a file says what the screen says).
 */
type Texts = Omit<typeof zhTW, 'members'> & { members: (typeof zhTW)['members'] & MemberValueLabels };

function withSharedLabels(texts: typeof zhTW, locale: Locale): Texts {
  return { ...texts, members: { ...texts.members, ...MEMBER_VALUE_LABELS[locale] } };
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Texts };
  }
}

const STORAGE_KEY = 'innkeeper.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language chosen in this browser before sign-in (signed-in accounts carry their own). */
export function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or disabled storage: the choice simply lasts for this page.
  }
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

export const i18n = i18next.createInstance();

i18n.on('languageChanged', (lng) => {
  const locale = isLocale(lng) ? lng : DEFAULT_LOCALE;
  document.documentElement.lang = locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
  applyDayjsLocale(locale);
});

// Only the default language's texts come with the app's first script: most staff never switch, and the English file
// is ~100 kB of it. English is fetched when it is chosen (changeLocale) or was chosen in this browser (main.tsx waits
// for it before the first render, so an English page never shows in Chinese first).
void i18n.use(initReactI18next).init({
  resources: { 'zh-TW': { translation: withSharedLabels(zhTW, 'zh-TW') } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  // React escapes rendered text already.
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** The languages fetched on demand, each its own chunk. */
const LOADERS: Record<Locale, () => Promise<{ default: typeof en }>> = {
  'zh-TW': () => Promise.resolve({ default: zhTW }),
  en: () => import('../locales/en.json'),
};

const loading = new Map<Locale, Promise<void>>();

/** Fetches a language's texts once (the default language's are bundled). */
export function loadLocale(locale: Locale): Promise<void> {
  if (i18n.hasResourceBundle(locale, 'translation')) return Promise.resolve();
  let pending = loading.get(locale);
  if (!pending) {
    pending = LOADERS[locale]().then(({ default: texts }) => {
      i18n.addResourceBundle(locale, 'translation', withSharedLabels(texts, locale));
    });
    // A failed fetch (a new release replaced the file, the network dropped) may be tried again on the next choice.
    pending.catch(() => loading.delete(locale));
    loading.set(locale, pending);
  }
  return pending;
}

/** Shows the app in `locale` once its texts are here; the page stays in the language it has until then. */
export async function changeLocale(locale: Locale): Promise<void> {
  await loadLocale(locale);
  await i18n.changeLanguage(locale);
}

/** Before the first render: the language chosen in this browser, its texts fetched first if they are not bundled. */
export async function startInStoredLocale(): Promise<void> {
  const locale = storedLocale();
  if (locale === i18n.language) return;
  await changeLocale(locale).catch(() => undefined); // unreachable texts: the page starts in the default language
}
