import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** A 404 page: by default "page not found" with a way home; a page may name what was not found and where to go back. */
export function NotFoundResult({ title, description, back }: { title?: string; description?: string; back?: { to: string; label: string } } = {}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const target = back ?? { to: '/', label: t('forbidden.backHome') };
  return (
    <Result
      status="404"
      title={title ?? t('notFound.title')}
      subTitle={description ?? t('notFound.description')}
      extra={
        <Button type="primary" onClick={() => void navigate(target.to)}>
          {target.label}
        </Button>
      }
    />
  );
}
