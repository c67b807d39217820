import { App, Button, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useLogout } from '../../../session/api.ts';
import type { Me } from '../../../session/types.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { setCsrfToken } from '../../../lib/api-client.ts';

/**
 * Someone signed in here arrives to sign in as another account (typically right after setting that account's
 * password from an invitation): ask, rather than silently continuing as the wrong person.
 */
type Props = { me: Me; email: string; from: string | undefined; onSignedOut: () => void };

export function SignedInElsewhere({ me, email, from, onSignedOut }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const logout = useLogout();
  const { message } = App.useApp();

  const switchAccount = () =>
    logout.mutate(undefined, {
      onSuccess: () => {
        setCsrfToken(undefined);
        onSignedOut();
      },
      onError: (error) => void message.error(errorMessageOf(error)),
    });

  return (
    <>
      <Typography.Paragraph>{t('login.signedInAs', { current: me.account.email, other: email })}</Typography.Paragraph>
      <Flex vertical gap={8}>
        <Button type="primary" size="large" block loading={logout.isPending} onClick={switchAccount}>
          {t('login.switchAccount', { email })}
        </Button>
        <Button size="large" block onClick={() => void navigate(from ?? '/', { replace: true })}>
          {t('login.continueAs', { email: me.account.email })}
        </Button>
      </Flex>
    </>
  );
}
