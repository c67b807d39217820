import { Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { SessionLanguageSwitch } from '../../../session/SessionLanguageSwitch.tsx';
import { useSession } from '../../../session/session-context.ts';
import { useRoleLabel } from '../../../lib/labels.ts';
import { useProperties } from '../../properties/index.ts';

export function ProfileCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  const roleLabel = useRoleLabel();
  const properties = useProperties({ enabled: me.propertyIds !== 'all' });
  const limitedTo = me.propertyIds === 'all' ? [] : me.propertyIds;
  // The properties by name (台北館、台中館); the count stands in only until their names have loaded.
  const names = (properties.data ?? []).filter((p) => limitedTo.includes(p.id)).map((p) => p.name);
  return (
    <Card title={t('myAccount.profile')}>
      <Descriptions
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'name', label: t('myAccount.displayName'), children: me.account.displayName },
          { key: 'email', label: t('myAccount.email'), children: me.account.email },
          { key: 'role', label: t('myAccount.role'), children: roleLabel(me.account.role) },
          { key: 'tenant', label: t('myAccount.tenant'), children: me.tenant.name },
          {
            key: 'properties',
            label: t('myAccount.properties'),
            children:
              me.propertyIds === 'all'
                ? t('accounts.allPropertiesShort')
                : names.length > 0
                  ? <span data-testid="profile-properties">{names.join(t('members.listSeparator'))}</span>
                  : t('myAccount.propertyCount', { count: me.propertyIds.length }),
          },
          { key: 'timezone', label: t('myAccount.timezone'), children: me.tenant.timezone },
          { key: 'language', label: t('myAccount.language'), children: <SessionLanguageSwitch testId="profile-language" /> },
        ]}
      />
    </Card>
  );
}
