import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Grid, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { setCsrfToken } from '../../lib/api-client.ts';
import { errorMessageOf } from '../../components/error-message.ts';
import type { LoginLocationState } from '../../session/location-state.ts';
import { useLogout } from '../../session/api.ts';
import { useSession } from '../../session/session-context.ts';

export function UserMenu() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useLogout();
  const { message } = App.useApp();
  // On a phone the header's row is the hotel's name, the language switch and this: the name of who is signed in moves
  // into the menu, or the hotel's name is squeezed out (browser review: 2 px wide at 390 px).
  const narrow = Grid.useBreakpoint().md === false;

  const signOut = () =>
    logout.mutate(undefined, {
      onSuccess: () => {
        const state: LoginLocationState = { success: t('auth.signedOut') };
        setCsrfToken(undefined);
        void navigate('/login', { replace: true, state });
        queueMicrotask(() => queryClient.clear());
      },
      onError: (error) => void message.error(errorMessageOf(error)),
    });

  const items: MenuProps['items'] = [
    ...(narrow ? [{ key: 'who', label: me.account.displayName, disabled: true }, { type: 'divider' as const }] : []),
    { key: 'account', icon: <UserOutlined />, label: t('nav.myAccount'), onClick: () => void navigate('/my-account') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('nav.signOut'), danger: true, onClick: signOut },
  ];

  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <Button type="text" icon={<UserOutlined />} loading={logout.isPending} aria-label={t('nav.userMenu')} data-testid="user-menu">
        {narrow ? null : (
          <>
            {me.account.displayName} <DownOutlined />
          </>
        )}
      </Button>
    </Dropdown>
  );
}
