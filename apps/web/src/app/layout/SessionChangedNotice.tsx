import { useQueryClient } from '@tanstack/react-query';
import { Button, Modal, Typography } from 'antd';
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { onSessionChange, sessionChanged } from '../../lib/session-identity.ts';
import { meQueryKey } from '../../session/api.ts';

/**
 * Says so when this browser's session became another account's (signed in from another tab): this tab sends nothing
 * more (lib/api-client.ts) and cannot be dismissed back into use; reloading opens the account now signed in, or the
 * sign-in page when none is.
 */
export function SessionChangedNotice() {
  const { t } = useTranslation();
  const change = useSyncExternalStore(onSessionChange, sessionChanged);
  // A refused token: ask the session whose it is now. The same account's (signed in again elsewhere) lets the tab go
  // on with the new token and its form as it was (session-identity.ts); another's keeps this notice.
  const queryClient = useQueryClient();
  useEffect(() => {
    if (change === 'csrf') void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }, [change, queryClient]);
  return (
    <Modal open={change !== undefined} title={t(change === 'csrf' ? 'auth.sessionRenewedTitle' : 'auth.sessionChangedTitle')} closable={false} maskClosable={false} keyboard={false} footer={null} data-testid="session-changed">
      {/* A refused token alone does not say whose the new sign-in is (it may be the same account's, signed in again). */}
      <Typography.Paragraph>{t(change === 'csrf' ? 'auth.sessionRenewed' : 'auth.sessionChanged')}</Typography.Paragraph>
      <Button type="primary" block onClick={() => window.location.reload()}>
        {t('auth.sessionChangedReload')}
      </Button>
    </Modal>
  );
}
