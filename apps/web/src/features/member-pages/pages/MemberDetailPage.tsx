import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Col, Flex, Row, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useSession } from '../../../session/session-context.ts';
import { NotFoundResult } from '../../../components/NotFoundResult.tsx';
import { QueryErrorResult } from '../../../components/QueryErrorResult.tsx';
import { errorMessageOf } from '../../../components/error-message.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { formatInZone } from '../../../lib/datetime.ts';
import { useProperties } from '../../properties/index.ts';
import { fullName, type PersonalData, useDeleteMember, useMember, useRevealPersonalData } from '../../members/index.ts';
import { MemberFormDrawer, type MemberFormTarget } from '../components/MemberFormDrawer.tsx';
import { MemberHeader } from '../components/MemberHeader.tsx';
import { MemberTagsCard } from '../components/MemberTagsCard.tsx';
import { MergeModal } from '../components/MergeModal.tsx';
import { ProfileCard } from '../components/ProfileCard.tsx';
import { StaysCard } from '../components/StaysCard.tsx';
import { MemberPmsCard } from '../../pms/index.ts';
import { TimelineCard } from '../components/TimelineCard.tsx';

/** Member ids are UUIDs; anything else typed after /members/ names no member (the API would refuse it as malformed). */
const MEMBER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function MemberDetailPage() {
  const { memberId = '' } = useParams();
  if (!MEMBER_ID.test(memberId)) return <MemberNotFound />;
  // A new member id is a new page: revealed values and open dialogs must not carry over.
  return <MemberDetail key={memberId} memberId={memberId} />;
}

function MemberNotFound() {
  const { t } = useTranslation();
  return <NotFoundResult title={t('members.detail.notFound')} description={t('members.detail.notFoundHint')} back={{ to: '/members', label: t('members.detail.backToList') }} />;
}

function MemberDetail({ memberId }: { memberId: string }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const member = useMember(memberId);
  const properties = useProperties();
  const reveal = useRevealPersonalData();
  const remove = useDeleteMember();
  // Unmasked values live only in this page's state: gone when the page is left.
  const [revealed, setRevealed] = useState<PersonalData>();
  const [formTarget, setFormTarget] = useState<MemberFormTarget>();
  const [merging, setMerging] = useState(false);
  const timeZone = me.tenant.timezone;
  const canEdit = can('members.edit');

  if (member.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (member.isError) {
    if (isApiError(member.error) && member.error.code === 'member.not_found') return <MemberNotFound />;
    return <QueryErrorResult error={member.error} onRetry={() => void member.refetch()} />;
  }

  const current = member.data;
  const name = fullName(current) || current.memberNo;

  const confirmDelete = () =>
    modal.confirm({
      title: t('members.detail.deleteTitle', { name }),
      content: t('members.detail.deleteBody'),
      okText: t('members.detail.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        remove
          .mutateAsync(current.id)
          .then(({ restorableUntil }) => {
            void message.success(t('members.detail.deleted', { name, until: formatInZone(restorableUntil, timeZone) }));
            void navigate('/members');
          })
          .catch((error: unknown) => void message.error(errorMessageOf(error))),
    });

  return (
    <Flex vertical gap={16}>
      <div>
        <Link to="/members">
          <ArrowLeftOutlined /> {t('members.detail.backToList')}
        </Link>
      </div>
      <MemberHeader
        member={current}
        timeZone={timeZone}
        canEdit={canEdit}
        onEdit={() => setFormTarget({ mode: 'edit', member: current, revealed })}
        onMerge={() => setMerging(true)}
        onDelete={confirmDelete}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Flex vertical gap={16}>
            <ProfileCard
              member={current}
              properties={properties.data ?? []}
              timeZone={timeZone}
              canReveal={can('personal_data.unmasked')}
              revealed={revealed}
              revealing={reveal.isPending}
              revealError={reveal.isError ? errorMessageOf(reveal.error) : undefined}
              onReveal={() => reveal.mutate(current.id, { onSuccess: setRevealed })}
            />
            <MemberTagsCard memberId={current.id} timeZone={timeZone} canEdit={can('tags.edit')} />
            <MemberPmsCard memberId={current.id} />
          </Flex>
        </Col>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <StaysCard memberId={current.id} properties={properties.data ?? []} canEdit={canEdit} />
            <TimelineCard memberId={current.id} properties={properties.data ?? []} timeZone={timeZone} />
          </Flex>
        </Col>
      </Row>
      <MemberFormDrawer
        target={formTarget}
        onClose={() => setFormTarget(undefined)}
        onSaved={(saved) => {
          setFormTarget(undefined);
          // What was revealed may no longer be what is stored.
          setRevealed(undefined);
          // The name as saved: a renamed member is announced by the new name.
          void message.success(t('members.saved', { name: fullName(saved) || saved.memberNo }));
        }}
      />
      <MergeModal
        member={current}
        properties={properties.data ?? []}
        open={merging}
        onClose={() => setMerging(false)}
        onMerged={() => {
          setMerging(false);
          setRevealed(undefined);
        }}
      />
    </Flex>
  );
}
