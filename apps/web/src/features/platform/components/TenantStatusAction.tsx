import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useSetTenantStatus, type Tenant } from '../api.ts';

export function TenantStatusAction({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const setStatus = useSetTenantStatus();
  const suspending = tenant.status === 'active';

  const confirm = () =>
    modal.confirm({
      title: suspending ? t('tenants.suspendTitle', { name: tenant.name }) : t('tenants.reactivateTitle', { name: tenant.name }),
      content: suspending ? t('tenants.suspendBody') : t('tenants.reactivateBody'),
      okText: suspending ? t('tenants.suspend') : t('tenants.reactivate'),
      okButtonProps: { danger: suspending },
      cancelText: t('common.cancel'),
      onOk: () =>
        setStatus
          .mutateAsync({ id: tenant.id, status: suspending ? 'suspended' : 'active' })
          .then(() => void message.success(suspending ? t('tenants.suspended', { name: tenant.name }) : t('tenants.reactivated', { name: tenant.name })))
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  return (
    <Button type="link" size="small" danger={suspending} onClick={confirm} aria-label={suspending ? t('tenants.suspendNamed', { name: tenant.name }) : t('tenants.reactivateNamed', { name: tenant.name })}>
      {suspending ? t('tenants.suspend') : t('tenants.reactivate')}
    </Button>
  );
}
