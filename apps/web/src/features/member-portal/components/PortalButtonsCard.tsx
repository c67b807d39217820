import { DeleteOutlined, EditOutlined, LinkOutlined, PictureOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Card, Empty, Flex, Switch, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { QueryErrorAlert } from '../../../components/QueryErrorAlert.tsx';
import { displayableImageUrl } from '../../../lib/image-url.ts';
import { useDeletePortalButton, usePortalButtons, useUpdatePortalButton } from '../api.ts';
import type { PortalButton } from '../types.ts';
import { PortalButtonFormModal } from './PortalButtonFormModal.tsx';

type Editing = { open: false } | { open: true; button: PortalButton | undefined };

/** 自訂按鈕: links the member area shows under the member card (booking, facilities, offers…). */
export function PortalButtonsCard() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const buttons = usePortalButtons();
  const update = useUpdatePortalButton();
  const remove = useDeletePortalButton();
  const [editing, setEditing] = useState<Editing>({ open: false });
  const nextSortOrder = Math.min(1000, Math.max(0, ...(buttons.data ?? []).map((button) => button.sortOrder + 10)));

  const toggle = (button: PortalButton, enabled: boolean) =>
    update.mutate({ id: button.id, enabled }, { onError: (error) => void message.error(errorMessageOf(error)) });

  const confirmDelete = (button: PortalButton) =>
    void modal.confirm({
      title: t('memberPortal.buttons.deleteTitle', { label: button.label }),
      content: t('memberPortal.buttons.deleteBody'),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove.mutateAsync(button.id).then(
          () => void message.success(t('memberPortal.buttons.deleted', { label: button.label })),
          (error: unknown) => void message.error(errorMessageOf(error)),
        ),
    });

  const columns: TableColumnsType<PortalButton> = [
    { title: t('memberPortal.buttons.sortOrder'), dataIndex: 'sortOrder', width: 80 },
    {
      title: t('memberPortal.buttons.label'),
      key: 'label',
      render: (_, button) => {
        const image = displayableImageUrl(button.imageUrl);
        return (
          <Flex align="center" gap={8}>
            <Avatar shape="square" src={image} icon={image ? undefined : <PictureOutlined />} alt="" />
            <Typography.Text strong>{button.label}</Typography.Text>
          </Flex>
        );
      },
    },
    {
      title: t('memberPortal.buttons.linkUrl'),
      dataIndex: 'linkUrl',
      render: (url: string) => (
        <Typography.Link href={url} target="_blank" rel="noopener noreferrer" ellipsis style={{ maxWidth: 320 }}>
          <LinkOutlined /> {url}
        </Typography.Link>
      ),
    },
    {
      title: t('memberPortal.buttons.enabled'),
      key: 'enabled',
      width: 90,
      render: (_, button) => (
        <Switch
          size="small"
          checked={button.enabled}
          loading={update.isPending && update.variables?.id === button.id}
          onChange={(enabled) => toggle(button, enabled)}
          aria-label={t('memberPortal.buttons.enabledNamed', { label: button.label })}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      render: (_, button) => (
        <Flex gap={4}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ open: true, button })} aria-label={t('memberPortal.buttons.editNamed', { label: button.label })}>
            {t('common.edit')}
          </Button>
          <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => confirmDelete(button)} aria-label={t('memberPortal.buttons.deleteNamed', { label: button.label })}>
            {t('common.delete')}
          </Button>
        </Flex>
      ),
    },
  ];

  return (
    <Card
      title={t('memberPortal.buttons.title')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setEditing({ open: true, button: undefined })} data-testid="portal-add-button">
          {t('memberPortal.buttons.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('memberPortal.buttons.intro')}</Typography.Paragraph>
      {buttons.isError ? (
        <QueryErrorAlert error={buttons.error} onRetry={() => void buttons.refetch()} />
      ) : (
        <Table<PortalButton>
          rowKey="id"
          columns={columns}
          dataSource={buttons.data ?? []}
          loading={buttons.isPending}
          pagination={false}
          scroll={{ x: 720 }}
          data-testid="portal-buttons-table"
          locale={{ emptyText: <Empty description={t('memberPortal.buttons.empty')} /> }}
        />
      )}
      <PortalButtonFormModal
        open={editing.open}
        button={editing.open ? editing.button : undefined}
        nextSortOrder={nextSortOrder}
        onClose={() => setEditing({ open: false })}
        onSaved={(button) => {
          setEditing({ open: false });
          void message.success(t('memberPortal.buttons.saved', { label: button.label }));
        }}
      />
    </Card>
  );
}
