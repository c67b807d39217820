import { useParams } from 'react-router';
import { LiffApp } from './LiffApp.tsx';

/**
 * /liff/:tenantId/:channelId inside the admin app's router, for servers that answer every page with index.html.
 * Served as liff.html (see main.tsx) the same page loads without the admin app around it.
 */
export function LiffRoutePage() {
  const { tenantId = '', channelId = '' } = useParams();
  return <LiffApp key={`${tenantId}/${channelId}`} tenantId={tenantId} channelId={channelId} />;
}
