/**
 * The segments feature's door: saved segments, and the builder with its live count, for the member list's filter
 * today and the campaign builder's audience next. The grammar they edit is the members feature's (features/members).
 */
export { segmentKeys, useSegment, useSegments, type Segment, type SegmentInput } from './api.ts';
export { LiveCountPanel } from './components/LiveCountPanel.tsx';
export { SaveSegmentModal, type SaveSegmentTarget } from './components/SaveSegmentModal.tsx';
export { SegmentBuilder } from './components/SegmentBuilder.tsx';
export { useLiveCount, type LiveCount } from './use-live-count.ts';
