import { DeleteOutlined, EditOutlined, LockOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { errorMessageOf } from '../../../components/error-message.ts';
import { usePermissionLabel, useRoleLabel } from '../../../lib/labels.ts';
import { useDeleteRole, type Role } from '../api/roles.ts';
import { canAssignRole, useGranter } from '../assignable.ts';

const BUILTIN_DESCRIBED = ['customer_service', 'marketing', 'management', 'administrator', 'operator'] as const;
type DescribedKey = (typeof BUILTIN_DESCRIBED)[number];

function describedKey(key: string | null): DescribedKey | undefined {
  return BUILTIN_DESCRIBED.find((candidate) => candidate === key);
}

export function RoleCard({ role, onEdit }: { role: Role; onEdit: (role: Role) => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const roleLabel = useRoleLabel();
  const permissionLabel = usePermissionLabel();
  const remove = useDeleteRole();
  const builtin = role.builtinKey !== null;
  // Nobody edits the role they are assigned (the server refuses it): say so instead of offering 編輯 and 刪除.
  const own = useSession().me.account.role.id === role.id;
  const granter = useGranter();
  // Nor a role holding a permission the account lacks (changing it would grant or take away what it does not hold).
  const beyond = !builtin && !own && !canAssignRole(granter, role);
  const name = roleLabel(role);
  const key = describedKey(role.builtinKey);
  const description = key ? t(`roles.builtinDescription.${key}`) : role.description;

  const confirmDelete = () =>
    modal.confirm({
      title: t('roles.deleteConfirmTitle', { name }),
      content: role.accountCount > 0 ? t('roles.deleteInUseWarning', { count: role.accountCount }) : t('roles.deleteConfirmBody'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove
          .mutateAsync(role.id)
          .then(() => void message.success(t('roles.deleted', { name })))
          // The server refuses while accounts still use the role; its message says so.
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  return (
    <Card
      size="small"
      data-testid="role-card"
      title={
        <Flex gap={8} align="center" wrap>
          <span>{name}</span>
          {builtin ? (
            <Tooltip title={t('roles.builtinHelp')}>
              <Tag icon={<LockOutlined />}>{t('roles.builtin.badge')}</Tag>
            </Tooltip>
          ) : null}
          {beyond ? (
            <Tooltip title={t('roles.beyondHelp')}>
              <Tag data-testid="role-beyond">{t('roles.beyond')}</Tag>
            </Tooltip>
          ) : null}
          {own ? (
            <Tooltip title={t('roles.ownHelp')}>
              <Tag color="blue" data-testid="role-own">
                {t('roles.own')}
              </Tag>
            </Tooltip>
          ) : null}
        </Flex>
      }
      extra={
        <Typography.Text type="secondary">
          <TeamOutlined /> {t('roles.accountCount', { count: role.accountCount })}
        </Typography.Text>
      }
      actions={
        builtin || own || beyond
          ? undefined
          : [
              <Button key="edit" type="link" icon={<EditOutlined />} onClick={() => onEdit(role)} aria-label={t('roles.editNamed', { name })}>
                {t('common.edit')}
              </Button>,
              <Button key="delete" type="link" danger icon={<DeleteOutlined />} onClick={confirmDelete} aria-label={t('roles.deleteNamed', { name })}>
                {t('common.delete')}
              </Button>,
            ]
      }
      style={{ height: '100%' }}
    >
      {description ? <Typography.Paragraph type="secondary">{description}</Typography.Paragraph> : null}
      <Flex gap={4} wrap>
        {role.permissions.length === 0 ? <Typography.Text type="secondary">{t('roles.noPermissions')}</Typography.Text> : null}
        {role.permissions.map((permission) => (
          <Tag key={permission} color="geekblue">
            {permissionLabel(permission)}
          </Tag>
        ))}
      </Flex>
    </Card>
  );
}
