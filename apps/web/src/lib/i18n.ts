import { DEFAULT_LOCALE, LOCALES, MEMBER_VALUE_LABELS, type Locale, type MemberValueLabels } from '@innkeeper/contracts';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../locales/en.json';
import zhTW from '../locales/zh-TW.json';
import { applyDayjsLocale } from './datetime.ts';

// Compile-time guarantee that both languages define exactly the same keys.
const sameShape: [typeof zhTW, typeof en] = [en, zhTW];
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

void i18n.use(initReactI18next).init({
  resources: { 'zh-TW': { translation: withSharedLabels(zhTW, 'zh-TW') }, en: { translation: withSharedLabels(en, 'en') } },
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  // React escapes rendered text already.
  interpolation: { escapeValue: false },
  returnNull: false,
});
