import type { Locale } from '@innkeeper/contracts';
import { Flex, Layout, Typography, theme } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { changeLocale, storeLocale } from '../../lib/i18n.ts';

/** Pages before sign-in: brand, language choice (kept in this browser) and one centred panel. */
export function PublicLayout() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const change = (locale: Locale) => {
    storeLocale(locale);
    void changeLocale(locale);
  };
  return (
    <Layout style={{ minHeight: '100vh', background: token.colorBgLayout }}>
      <Flex justify="space-between" align="center" style={{ padding: '12px 24px' }}>
        <Typography.Text strong style={{ fontSize: 18, color: token.colorPrimary }}>
          {t('app.name')}
        </Typography.Text>
        <LanguageSwitch onChange={change} testId="public-language" />
      </Flex>
      <main style={{ flex: 1, display: 'flex', justifyContent: 'center', padding: '24px 16px 48px' }}>
        <Suspense fallback={<FullPageSpin />}>
          <Outlet />
        </Suspense>
      </main>
    </Layout>
  );
}
