import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, Empty, Flex, Row, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { useRoles } from '../api/roles.ts';
import { RoleCard } from './RoleCard.tsx';
import { RoleFormModal, type RoleFormTarget } from './RoleFormModal.tsx';

export function RolesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const roles = useRoles();
  // Role permissions are hotel permissions; the platform tenant has only its built-in operator role.
  const customRoles = useSession().me.tenant.kind === 'hotel';
  const [target, setTarget] = useState<RoleFormTarget>();

  const content = () => {
    if (roles.isError) return <QueryErrorAlert error={roles.error} onRetry={() => void roles.refetch()} />;
    if (roles.isPending) return <Skeleton active />;
    if (roles.data.length === 0) return <Empty description={t('roles.empty')} />;
    // Built-in roles first, then custom roles by name.
    const sorted = [...roles.data].sort((a, b) => Number(a.builtinKey === null) - Number(b.builtinKey === null) || a.name.localeCompare(b.name));
    return (
      <Row gutter={[16, 16]}>
        {sorted.map((role) => (
          <Col key={role.id} xs={24} md={12} xl={8}>
            <RoleCard role={role} onEdit={(editing) => setTarget({ mode: 'edit', role: editing })} />
          </Col>
        ))}
      </Row>
    );
  };

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Typography.Text type="secondary">{customRoles ? t('roles.intro') : t('roles.platformIntro')}</Typography.Text>
        {customRoles ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setTarget({ mode: 'create' })}>
            {t('roles.create')}
          </Button>
        ) : null}
      </Flex>
      {content()}
      <RoleFormModal
        target={target}
        onClose={() => setTarget(undefined)}
        onSaved={(role) => {
          setTarget(undefined);
          void message.success(t('roles.saved', { name: role.name }));
        }}
      />
    </Flex>
  );
}
