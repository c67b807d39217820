import { Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { SessionLanguageSwitch } from '../../../app/layout/SessionLanguageSwitch.tsx';
import { useSession } from '../../../app/session/session-context.ts';
import { useRoleLabel } from '../../../lib/labels.ts';

export function ProfileCard() {
  const { t } = useTranslation();
  const { me } = useSession();
  const roleLabel = useRoleLabel();
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
            children: me.propertyIds === 'all' ? t('accounts.allPropertiesShort') : t('myAccount.propertyCount', { count: me.propertyIds.length }),
          },
          { key: 'timezone', label: t('myAccount.timezone'), children: me.tenant.timezone },
          { key: 'language', label: t('myAccount.language'), children: <SessionLanguageSwitch testId="profile-language" /> },
        ]}
      />
    </Card>
  );
}
