import { GlobalOutlined } from '@ant-design/icons';
import { LOCALES, type Locale } from '@innkeeper/contracts';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../lib/i18n.ts';

/** Each language is named in itself (same text in both resource files), so anyone finds theirs. */
export function LanguageSwitch({ onChange, loading, testId }: { onChange: (locale: Locale) => void; loading?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Select<Locale>
      aria-label={t('language.label')}
      data-testid={testId}
      value={currentLocale()}
      onChange={onChange}
      loading={loading ?? false}
      variant="borderless"
      suffixIcon={<GlobalOutlined />}
      popupMatchSelectWidth={false}
      options={LOCALES.map((locale) => ({ value: locale, label: t(`language.names.${locale}`) }))}
    />
  );
}
