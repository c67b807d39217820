import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createAppQueryClient } from './app/providers/AppProviders.tsx';
import { preloadFirstPage } from './app/router/first-page.ts';
import { startInStoredLocale } from './lib/i18n.ts';
// Ant Design's prebuilt styles (the theme's zeroRuntime: see app/providers/theme.ts): here what belongs to no
// component (motions, icons); each component's own rules come with its code (apps/web/antd-styles.ts).
import 'virtual:antd-style/base.css';
import './app/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const queryClient = createAppQueryClient();
// In the default language once the first page's session and data are here (first-page.ts: at most a moment); in
// English once its texts (their own chunk) are here too.
void Promise.all([preloadFirstPage(window.location.pathname, window.location.search, queryClient), startInStoredLocale()]).then(() =>
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} />
    </StrictMode>,
  ),
);
