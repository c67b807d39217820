import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The member list and the deleted members (restorable for 30 days) as two tabs of 會員. */
export function MembersTabs({ active }: { active: 'list' | 'deleted' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Tabs
      activeKey={active}
      onChange={(key) => void navigate(key === 'deleted' ? '/members/deleted' : '/members')}
      items={[
        { key: 'list', label: t('members.tabs.list') },
        { key: 'deleted', label: t('members.tabs.deleted') },
      ]}
      style={{ marginBottom: 8 }}
    />
  );
}
