import { useQueryClient } from '@tanstack/react-query';
import { Button, Modal, Typography } from 'antd';
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { onSessionChange, sessionChanged, type SessionChange } from '../../lib/session-identity.ts';
import { meQueryKey } from '../../session/api.ts';

const TITLE = { other_tab: 'auth.sessionChangedTitle', session_answer: 'auth.sessionChangedTitle', csrf: 'auth.sessionRenewedTitle', signed_out: 'auth.signedOutElsewhereTitle' } as const satisfies Record<SessionChange, string>;
const TEXT = { other_tab: 'auth.sessionChanged', session_answer: 'auth.sessionChanged', csrf: 'auth.sessionRenewed', signed_out: 'auth.signedOutElsewhere' } as const satisfies Record<SessionChange, string>;

/**
 * Says so when this browser's session became another account's (signed in from another tab): this tab sends nothing,
 * not even a read (lib/api-client.ts), and cannot be dismissed back into use. It closes by itself when this tab's own
 * account signs in again (session-identity.ts); reloading opens the account now signed in, or the sign-in page when
 * none is. Its text is an alert: a screen reader says it at once, wherever the reader was.
 */
export function SessionChangedNotice() {
  const { t } = useTranslation();
  const change = useSyncExternalStore(onSessionChange, sessionChanged);
  // A refused token, or this tab's own account signed in again in another tab: ask the session whose it is now. The
  // same account's lets the tab go on with the new token and its form as it was (session-identity.ts); another's keeps
  // this notice.
  const queryClient = useQueryClient();
  useEffect(() => {
    if (change === 'csrf') void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }, [change, queryClient]);
  return (
    <Modal open={change !== undefined} title={t(TITLE[change ?? 'other_tab'])} closable={false} maskClosable={false} keyboard={false} footer={null} data-testid="session-changed">
      {/* A refused token alone does not say whose the new sign-in is (it may be the same account's, signed in again). */}
      <div role="alert">
        <Typography.Paragraph>{t(TEXT[change ?? 'other_tab'])}</Typography.Paragraph>
      </div>
      <Button type="primary" block onClick={() => window.location.reload()}>
        {t('auth.sessionChangedReload')}
      </Button>
    </Modal>
  );
}
