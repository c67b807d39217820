import { LoadingOutlined, TeamOutlined } from '@ant-design/icons';
import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { isApiError } from '../../../lib/api-error.ts';
import type { LiveCount } from '../use-live-count.ts';

/** How many members the definition being edited selects, kept current as it changes. */
export function LiveCountPanel({ live }: { live: LiveCount }) {
  const { t } = useTranslation();
  const state = () => {
    if (live.incomplete.size > 0) return <Typography.Text type="warning">{t('segments.count.incomplete', { count: live.incomplete.size })}</Typography.Text>;
    if (live.error && !live.loading) {
      // Condition-level issues are shown on the conditions; this says that something needs fixing.
      const message = isApiError(live.error) && live.error.issues.length > 0 ? t('segments.count.invalid') : errorMessageOf(live.error);
      return <Typography.Text type="danger">{message}</Typography.Text>;
    }
    if (live.count === undefined) return <LoadingOutlined />;
    return (
      <Typography.Text strong style={{ fontSize: 24 }} data-testid="live-count-value">
        {t('segments.count.members', { count: live.count })}
      </Typography.Text>
    );
  };
  return (
    <Flex gap={12} align="center" data-testid="live-count" aria-live="polite" aria-busy={live.loading}>
      <TeamOutlined style={{ fontSize: 24, opacity: 0.6 }} />
      <Flex vertical>
        <Typography.Text type="secondary">
          {t('segments.count.label')} {live.loading && live.count !== undefined ? <LoadingOutlined style={{ marginInlineStart: 4 }} aria-label={t('common.loading')} /> : null}
        </Typography.Text>
        {state()}
      </Flex>
    </Flex>
  );
}
