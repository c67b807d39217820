/** The PMS feature's door: the PMS page (mounted lazily by app/router) is its only screen. */
export { usePmsConnections, type PmsConnection } from './api.ts';
export { MemberPmsCard } from './components/MemberPmsCard.tsx';
export { usePmsChannelLabel } from './channel-label.ts';
