import { SendOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, List, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { fullName, useMemberSearch } from '../../members/index.ts';
import { useTestSend, type TestSendResult } from '../api.ts';

const MAX_GUESTS = 10;

/**
 * Test send: the saved campaign, personalised, to up to ten chosen LINE friends (the staff's own accounts) now. It is
 * not a campaign delivery: no cap, no statistics; the audit log records it.
 */
export function TestSendCard({ campaignId, dirty }: { campaignId: string; dirty: boolean }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<Array<{ value: string; label: string }>>([]);
  const [result, setResult] = useState<TestSendResult>();
  const q = useDebounced(query.trim(), 300);
  const search = useMemberSearch({ q, sort: 'recent', page: 1, pageSize: 10 }, { enabled: q.length > 0 });
  const send = useTestSend();
  const options = (search.data?.data ?? []).map((m) => ({ value: m.id, label: [m.memberNo, fullName(m) || m.lineDisplayName || t('members.noName')].filter(Boolean).join(' · ') }));
  const labelOf = new Map([...chosen, ...options].map((o) => [o.value, o.label]));

  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('campaigns.testSend.help', { max: MAX_GUESTS })}</Typography.Text>
      <Select
        mode="multiple"
        labelInValue
        showSearch
        filterOption={false}
        onSearch={setQuery}
        value={chosen}
        onChange={(values: Array<{ value: string; label: string }>) => setChosen(values.slice(0, MAX_GUESTS))}
        options={options}
        placeholder={t('campaigns.testSend.pick')}
        loading={search.isFetching}
        aria-label={t('campaigns.testSend.pick')}
      />
      {dirty && <Alert type="info" showIcon message={t('campaigns.testSend.saveFirst')} />}
      <Button
        icon={<SendOutlined />}
        disabled={chosen.length === 0 || dirty}
        loading={send.isPending}
        onClick={() => send.mutate({ id: campaignId, memberIds: chosen.map((c) => c.value) }, { onSuccess: setResult, onError: () => setResult(undefined) })}
      >
        {t('campaigns.testSend.send')}
      </Button>
      {send.error ? <Alert type="error" showIcon message={errorMessageOf(send.error)} /> : null}
      {result ? (
        <List
          size="small"
          dataSource={result.results}
          renderItem={(r) => (
            <List.Item>
              <Flex vertical gap={2}>
                <span>
                  {labelOf.get(r.memberId) ?? r.memberId} <Tag color={r.outcome === 'accepted' ? 'green' : r.outcome === 'failed' ? 'red' : 'default'}>{t(`campaigns.testSend.outcome.${r.outcome}`)}</Tag>
                </span>
                {/* Why, in the staff's words; LINE's own words under it only when LINE said them (for whoever contacts support). */}
                {r.outcome === 'failed' ? <Typography.Text data-testid="test-send-cause">{t(`campaigns.testSend.cause.${r.cause ?? 'error'}`)}</Typography.Text> : null}
                {r.outcome === 'failed' && r.message ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('campaigns.reason.line', { message: r.message })}
                  </Typography.Text>
                ) : null}
              </Flex>
            </List.Item>
          )}
        />
      ) : null}
    </Flex>
  );
}
