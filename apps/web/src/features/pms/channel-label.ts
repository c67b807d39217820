import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session/session-context.ts';
import { usePmsConnections } from './api.ts';
import { useConnectionName } from './labels.ts';

/**
 * What a stay's channel says on the member page. The sync writes its stays with the channel `pms` (source `pms`): that
 * is shown as the connection's name (德安 PMS, or the name the hotel gave it; read only by those who may see the PMS
 * page), never as the code. Any other channel is shown as recorded.
 */
export function usePmsChannelLabel() {
  const { t } = useTranslation();
  const { can } = useSession();
  const connections = usePmsConnections({ enabled: can('pms.view') });
  const connectionName = useConnectionName();
  const name = connections.data?.[0]?.name;
  return useCallback(
    (stay: { source: string; channel: string }): string => (stay.source === 'pms' && stay.channel === 'pms' ? (name ? connectionName(name) : t('pms.defaultName')) : stay.channel),
    [name, connectionName, t],
  );
}
