import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhTW from 'antd/locale/zh_TW';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createQueryClient } from '../../lib/query-client.ts';
import { meQueryKey } from '../../session/api.ts';
import { appTheme } from './theme.ts';

type AntLocale = typeof zhTW;

/** antd's locale files are CommonJS and can reach the bundle still wrapped in `{ default }` (antd unwraps them the same way). */
function unwrapLocale(locale: AntLocale): AntLocale {
  const wrapped = locale as AntLocale & { default?: AntLocale };
  return wrapped.default?.locale ? wrapped.default : locale;
}

// antd's Traditional Chinese says "20 條/頁"; Taiwanese admin screens count records in 筆, as our own totals do (共 22 筆).
const baseZhTW = unwrapLocale(zhTW);
const zhTWLocale: AntLocale = { ...baseZhTW, Pagination: { ...baseZhTW.Pagination, items_per_page: '筆/頁' } };

export function AppProviders({ children }: { children: ReactNode }) {
  // A refusal for lack of permission refreshes the session, so menus and buttons follow a changed role.
  const [queryClient] = useState(() => {
    const client = createQueryClient({ onForbidden: () => void client.invalidateQueries({ queryKey: meQueryKey }) });
    return client;
  });
  // Subscribing re-renders the tree (and antd's own texts) when the language changes.
  const { i18n } = useTranslation();
  return (
    <QueryClientProvider client={queryClient}>
      {/* No automatic space between two CJK characters in buttons: "登入" must stay "登入" (also for accessible names). */}
      <ConfigProvider locale={i18n.language === 'en' ? enUS : zhTWLocale} theme={appTheme} button={{ autoInsertSpace: false }}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
