import { Alert, App, Form, Modal, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageOf } from '../../../components/error-message.ts';
import { TagSelect, useChangeTagOnMembers, useTags } from '../../tags/index.ts';
import { type Audience, useBulkTag } from '../../members/index.ts';

export type TagChangeTarget =
  | { kind: 'selection'; memberIds: string[]; change: 'add' | 'remove' }
  | { kind: 'audience'; audience: Audience; count: number | undefined; change: 'add' | 'remove' };

type Props = { target: TagChangeTarget | undefined; onClose: () => void; onDone: () => void };

/**
 * Adds or removes one tag on the chosen members, or on the whole current audience (every member the list's search,
 * segment and conditions select, across all pages): the count is shown before anything changes.
 */
export function TagChangeModal({ target, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tags = useTags();
  const changeSelection = useChangeTagOnMembers();
  const bulk = useBulkTag();
  const [tagId, setTagId] = useState<string>();
  const [change, setChange] = useState<'add' | 'remove'>('add');
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!target) return;
    setTagId(undefined);
    setChange(target.change);
    setError(undefined);
  }, [target]);

  const tag = tags.data?.find((candidate) => candidate.id === tagId);
  const size = target?.kind === 'selection' ? target.memberIds.length : target?.count;
  const pending = changeSelection.isPending || bulk.isPending;

  const submit = () => {
    if (!target || !tagId || !tag) {
      setError(t('members.tagChange.chooseTag'));
      return;
    }
    const done = (changed: number) => {
      void message.success(change === 'add' ? t('members.tagChange.added', { count: changed, tag: tag.name }) : t('members.tagChange.removed', { count: changed, tag: tag.name }));
      onDone();
    };
    const fail = (failure: unknown) => setError(errorMessageOf(failure));
    if (target.kind === 'selection') changeSelection.mutate({ tagId, memberIds: target.memberIds, change }, { onSuccess: (result) => done(result.changed), onError: fail });
    else bulk.mutate({ audience: target.audience, tagId, change }, { onSuccess: (result) => done(result.changed), onError: fail });
  };

  const scope = target?.kind === 'audience' ? t('members.tagChange.audienceScope', { count: size ?? 0 }) : t('members.tagChange.selectionScope', { count: size ?? 0 });
  const okText = change === 'add' ? t('members.tagChange.addTo', { count: size ?? 0 }) : t('members.tagChange.removeFrom', { count: size ?? 0 });

  return (
    <Modal
      open={target !== undefined}
      title={target?.kind === 'audience' ? t('members.tagChange.audienceTitle') : t('members.tagChange.selectionTitle')}
      okText={okText}
      okButtonProps={{ danger: change === 'remove', disabled: size === 0 || size === undefined }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={pending}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('members.tagChange.change')}>
          <Radio.Group
            value={change}
            onChange={(event) => setChange(event.target.value as 'add' | 'remove')}
            options={[
              { value: 'add', label: t('members.tagChange.add') },
              { value: 'remove', label: t('members.tagChange.remove') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('members.tagChange.tag')} required htmlFor="tag-change-tag">
          <TagSelect id="tag-change-tag" value={tagId} onChange={setTagId} style={{ width: '100%' }} data-testid="tag-change-select" />
        </Form.Item>
      </Form>
      <Alert
        type={target?.kind === 'audience' ? 'warning' : 'info'}
        showIcon
        title={scope}
        description={
          tag ? (
            <Typography.Text>
              {change === 'add' ? t('members.tagChange.confirmAdd', { count: size ?? 0, tag: tag.name }) : t('members.tagChange.confirmRemove', { count: size ?? 0, tag: tag.name })}
            </Typography.Text>
          ) : undefined
        }
        style={{ marginBottom: error ? 12 : 0 }}
      />
      {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
    </Modal>
  );
}
