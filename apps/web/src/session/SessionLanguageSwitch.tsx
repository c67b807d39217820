import type { Locale } from '@innkeeper/contracts';
import { App } from 'antd';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { errorMessageOf } from '../components/error-message.ts';
import { changeLocale, storeLocale } from '../lib/i18n.ts';
import { useUpdateMyLocale } from './api.ts';

/** Signed in, the language is saved on the account (server messages and emails follow it) and in this browser. */
export function SessionLanguageSwitch({ testId }: { testId?: string }) {
  const update = useUpdateMyLocale();
  const { message } = App.useApp();
  const change = (locale: Locale) =>
    update.mutate(locale, {
      onSuccess: () => {
        storeLocale(locale);
        void changeLocale(locale);
      },
      onError: (error) => void message.error(errorMessageOf(error)),
    });
  return <LanguageSwitch onChange={change} loading={update.isPending} testId={testId} />;
}
