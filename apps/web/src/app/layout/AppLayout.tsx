import { Flex, Grid, Layout, Menu, Space, Tag, Typography, theme } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { FullPageSpin } from '../../components/FullPageSpin.tsx';
import { useSession } from '../../session/session-context.ts';
import { usePageData } from '../router/page-data.ts';
import { NAV_ITEMS } from './navigation.tsx';
import { SessionLanguageSwitch } from '../../session/SessionLanguageSwitch.tsx';
import { UserMenu } from './UserMenu.tsx';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const { t } = useTranslation();
  const { me, allows } = useSession();
  const location = useLocation();
  usePageData(location.pathname, location.search, allows);
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  const narrow = Grid.useBreakpoint().md === false;

  const items = useMemo(
    () =>
      NAV_ITEMS.filter((item) => allows(item.access)).map((item) => ({
        key: item.path,
        icon: item.icon,
        label: <Link to={item.path}>{t(`nav.${item.key}`)}</Link>,
      })),
    [allows, t],
  );
  const selected = `/${location.pathname.split('/')[1] ?? ''}`;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        theme="light"
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        // Sticky, so the menu stays in view on long pages.
        style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}`, position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Link to="/" style={{ display: 'block', padding: '16px 20px', whiteSpace: 'nowrap', overflow: 'hidden' }}>
          <Typography.Text strong style={{ fontSize: 18, color: token.colorPrimary }}>
            {collapsed ? t('app.shortName') : t('app.brand')}
          </Typography.Text>
        </Link>
        <nav aria-label={t('nav.main')}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            paddingInline: narrow ? 12 : 24,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 16,
          }}
        >
          <Flex gap={8} align="center" style={{ minWidth: 0 }}>
            <Typography.Text strong data-testid="tenant-name" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {me.tenant.name}
            </Typography.Text>
            {me.tenant.kind === 'platform' ? <Tag color="purple">{t('app.platformTenant')}</Tag> : null}
          </Flex>
          <Space size={narrow ? 'small' : 'middle'} style={{ flexShrink: 0 }}>
            <SessionLanguageSwitch testId="header-language" />
            <UserMenu />
          </Space>
        </Header>
        {/* antd's Content is the page's one <main> landmark: what it holds is a plain box (a <main> inside it would
            give screen readers two). */}
        <Content style={{ padding: 24 }}>
          <div style={{ maxWidth: 1280, margin: '0 auto' }}>
            <Suspense fallback={<FullPageSpin />}>
              <Outlet />
            </Suspense>
          </div>
        </Content>
      </Layout>
    </Layout>
  );
}
