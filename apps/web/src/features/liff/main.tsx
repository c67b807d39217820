import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClickRedirect } from './ClickRedirect.tsx';
import { LiffApp } from './LiffApp.tsx';

/*
 * Entry of liff.html: the guest page alone (React, the LIFF SDK and this page's texts), without the admin app's
 * router, Ant Design shell or locale files, for a quick start inside LINE on a phone.
 */
const root = document.getElementById('root');
if (!root) throw new Error('liff.html has no #root element');

const [, tenantId = '', channelId = ''] = /^\/liff\/([^/]+)\/([^/]+)/.exec(window.location.pathname) ?? [];

// A tracked campaign link (`https://liff.line.me/<liffId>/c/<link>`) opens `…/c/<link>`; LINE's first hop carries
// the path in `liff.state` instead.
const CLICK = /^\/c\/([^/?#]+)/;
const clicked = CLICK.exec(window.location.pathname.replace(/^\/liff\/[^/]+\/[^/]+/, ''));
const primary = clicked ? undefined : CLICK.exec(new URLSearchParams(window.location.search).get('liff.state') ?? '');
const link = clicked?.[1] ?? primary?.[1];

createRoot(root).render(
  <StrictMode>
    {link ? (
      <ClickRedirect tenantId={decodeURIComponent(tenantId)} channelId={decodeURIComponent(channelId)} link={decodeURIComponent(link)} primaryRedirect={!clicked} />
    ) : (
      <LiffApp tenantId={decodeURIComponent(tenantId)} channelId={decodeURIComponent(channelId)} />
    )}
  </StrictMode>,
);
