import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Flex, Input, Modal, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../session/session-context.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { formatInZone, fromNow } from '../../../lib/datetime.ts';
import { type DeletedMember, fullName, useDeletedMembers, useEraseMember, useRestoreMember } from '../../members/index.ts';
import { MembersTabs } from '../components/MembersTabs.tsx';

/** 會員 → 已刪除: members deleted in the last 30 days, to restore, or to erase for good on a personal-data request. */
export function DeletedMembersPage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { message } = App.useApp();
  const deleted = useDeletedMembers();
  const restore = useRestoreMember();
  const [erasing, setErasing] = useState<DeletedMember>();
  const timeZone = me.tenant.timezone;
  const canEdit = can('members.edit');

  const restoreMember = (member: DeletedMember) =>
    restore.mutate(member.id, {
      onSuccess: () => void message.success(t('members.deleted.restored', { name: fullName(member) || member.memberNo })),
      onError: (error) => void message.error(errorMessageOf(error)),
    });

  const columns: TableColumnsType<DeletedMember> = [
    { title: t('members.columns.memberNo'), dataIndex: 'memberNo', width: 120 },
    { title: t('members.columns.name'), key: 'name', render: (_, member) => fullName(member) || <Typography.Text type="secondary">{t('members.noName')}</Typography.Text> },
    {
      title: t('members.columns.contact'),
      key: 'contact',
      render: (_, member) => (
        <Flex vertical>
          {member.mobile ? <span>{member.mobile}</span> : null}
          {member.email ? <Typography.Text type="secondary">{member.email}</Typography.Text> : null}
          {!member.mobile && !member.email ? '—' : null}
        </Flex>
      ),
    },
    { title: t('members.deleted.deletedAt'), dataIndex: 'deletedAt', width: 160, render: (value: string | null) => (value ? formatInZone(value, timeZone) : '—') },
    {
      title: t('members.deleted.restorableUntil'),
      dataIndex: 'restorableUntil',
      width: 190,
      render: (value: string) => (
        <Flex vertical>
          <span>{formatInZone(value, timeZone)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('members.deleted.erasedAutomatically', { when: fromNow(value) })}
          </Typography.Text>
        </Flex>
      ),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, member: DeletedMember) => {
              const name = fullName(member) || member.memberNo;
              return (
                <Flex gap={0} wrap>
                  <Button type="link" size="small" icon={<UndoOutlined />} onClick={() => restoreMember(member)} loading={restore.isPending && restore.variables === member.id} aria-label={t('members.deleted.restoreNamed', { name })}>
                    {t('members.deleted.restore')}
                  </Button>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => setErasing(member)} aria-label={t('members.deleted.eraseNamed', { name })}>
                    {t('members.deleted.erase')}
                  </Button>
                </Flex>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader title={t('nav.members')} description={t('members.description')} />
      <MembersTabs active="deleted" />
      <Flex vertical gap={12}>
        <Alert type="info" showIcon title={t('members.deleted.intro')} />
        {deleted.isError ? (
          <QueryErrorAlert error={deleted.error} onRetry={() => void deleted.refetch()} />
        ) : (
          <Table<DeletedMember>
            rowKey="id"
            data-testid="deleted-members-table"
            columns={columns}
            dataSource={deleted.data ?? []}
            loading={deleted.isPending}
            scroll={{ x: 900 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description={t('members.deleted.empty')} /> }}
          />
        )}
      </Flex>
      <EraseModal member={erasing} onClose={() => setErasing(undefined)} />
    </>
  );
}

/** Erasing cannot be undone: the person types the member number to confirm. */
function EraseModal({ member, onClose }: { member: DeletedMember | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const erase = useEraseMember();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const matches = member !== undefined && typed.trim().toUpperCase() === member.memberNo.toUpperCase();

  const close = () => {
    setTyped('');
    setError(undefined);
    onClose();
  };

  const submit = () => {
    if (!member || !matches) return;
    erase.mutate(member.id, {
      onSuccess: () => {
        void message.success(t('members.deleted.erased', { memberNo: member.memberNo }));
        close();
      },
      onError: (failure) => setError(errorMessageOf(failure)),
    });
  };

  return (
    <Modal
      open={member !== undefined}
      title={t('members.deleted.eraseTitle', { memberNo: member?.memberNo ?? '' })}
      okText={t('members.deleted.eraseConfirm')}
      okButtonProps={{ danger: true, disabled: !matches }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={close}
      confirmLoading={erase.isPending}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Alert type="error" showIcon title={t('members.deleted.eraseWarning')} description={t('members.deleted.eraseExplain')} />
        <label htmlFor="erase-confirm">
          <Typography.Text>{t('members.deleted.typeToConfirm', { memberNo: member?.memberNo ?? '' })}</Typography.Text>
        </label>
        <Input id="erase-confirm" value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" placeholder={member?.memberNo} />
        {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      </Flex>
    </Modal>
  );
}
