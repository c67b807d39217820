import type { Locale } from '@innkeeper/contracts';
import i18next from 'i18next';
// Only the `liff` part of each locale file: the guest page does not carry the admin app's texts.
import { liff as en } from '../../locales/en.json';
import { liff as zhTW } from '../../locales/zh-TW.json';

/** The guest page's own i18next instance (given through I18nextProvider), so it never touches the admin's language. */
export const liffI18n = i18next.createInstance();

void liffI18n.init({
  resources: { 'zh-TW': { translation: { liff: zhTW } }, en: { translation: { liff: en } } },
  lng: 'zh-TW',
  fallbackLng: 'zh-TW',
  supportedLngs: ['zh-TW', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** zh-TW unless LINE runs in English (liff.getLanguage() `en`, `en-US`, …). */
export function localeFromLine(language: string): Locale {
  return language.toLowerCase().startsWith('en') ? 'en' : 'zh-TW';
}

export function applyGuestLocale(locale: Locale): void {
  void liffI18n.changeLanguage(locale);
  document.documentElement.lang = locale === 'zh-TW' ? 'zh-Hant-TW' : 'en';
}
