import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** Shown instead of a page the account may not use (a direct URL, a bookmark, an old link). */
export function ForbiddenResult() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('forbidden.title')}
      subTitle={t('forbidden.description')}
      data-testid="forbidden-result"
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('forbidden.backHome')}
        </Button>
      }
    />
  );
}
