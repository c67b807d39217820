import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { preloadFirstPage } from './app/router/first-page.ts';
import { startInStoredLocale } from './lib/i18n.ts';
// Ant Design's prebuilt styles (the theme's zeroRuntime: see app/providers/theme.ts): here what belongs to no
// component (motions, icons); each component's own rules come with its code (apps/web/antd-styles.ts).
import 'virtual:antd-style/base.css';
import './app/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

preloadFirstPage(window.location.pathname);
// At once in the default language; in English once its texts (their own chunk) are here.
void startInStoredLocale().then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
