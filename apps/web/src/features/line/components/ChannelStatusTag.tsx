import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChannelStatus } from '../api.ts';

export function ChannelStatusTag({ status }: { status: ChannelStatus }) {
  const { t } = useTranslation();
  switch (status) {
    case 'verified':
      return (
        <Tag color="success" icon={<CheckCircleOutlined />} data-testid="line-channel-status" data-status={status}>
          {t('line.status.verified')}
        </Tag>
      );
    case 'failed':
      return (
        <Tag color="error" icon={<CloseCircleOutlined />} data-testid="line-channel-status" data-status={status}>
          {t('line.status.failed')}
        </Tag>
      );
    case 'unverified':
      return (
        <Tag color="warning" icon={<ExclamationCircleOutlined />} data-testid="line-channel-status" data-status={status}>
          {t('line.status.unverified')}
        </Tag>
      );
  }
}
