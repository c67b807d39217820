import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LiffApp } from './LiffApp.tsx';

/*
 * Entry of liff.html: the guest page alone (React, the LIFF SDK and this page's texts), without the admin app's
 * router, Ant Design shell or locale files, for a quick start inside LINE on a phone.
 */
const root = document.getElementById('root');
if (!root) throw new Error('liff.html has no #root element');

const [, tenantId = '', channelId = ''] = /^\/liff\/([^/]+)\/([^/]+)/.exec(window.location.pathname) ?? [];

createRoot(root).render(
  <StrictMode>
    <LiffApp tenantId={decodeURIComponent(tenantId)} channelId={decodeURIComponent(channelId)} />
  </StrictMode>,
);
