import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';

const LIFF_PAGE = /^\/liff\/[^/?#]+\/[^/?#]+\/?(?:[?#]|$)/;

/** Page requests for /liff/:tenantId/:channelId get liff.html (the guest page's own small entry) in dev and preview. */
const serveLiffPage: Connect.NextHandleFunction = (req, _res, next) => {
  if (req.method === 'GET' && req.url && LIFF_PAGE.test(req.url) && (req.headers.accept ?? '').includes('text/html')) req.url = '/liff.html';
  next();
};

const liffPage: Plugin = {
  name: 'innkeeper-liff-page',
  configureServer: (server) => void server.middlewares.use(serveLiffPage),
  configurePreviewServer: (server) => void server.middlewares.use(serveLiffPage),
};

const LOCALE_FILE = /\/src\/locales\/[^/]+\.json$/;
const LIFF_ONLY = '?liff-only';

/**
 * The guest page imports `{ liff }` from the shared locale files; the admin app imports them whole, so the whole files
 * would travel with the guest page. For importers under src/features/liff/ the files are cut to their `liff` key.
 */
const liffLocales: Plugin = {
  name: 'innkeeper-liff-locales',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!importer?.includes('/src/features/liff/') || !source.endsWith('.json')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved && LOCALE_FILE.test(resolved.id) ? `${resolved.id}${LIFF_ONLY}` : null;
  },
  transform(code, id) {
    if (!id.endsWith(`.json${LIFF_ONLY}`)) return null;
    const { liff } = JSON.parse(code) as { liff?: unknown };
    return { code: `export const liff = ${JSON.stringify(liff ?? {})};\nexport default { liff };\n`, map: null, moduleType: 'js' };
  },
};

// `npm run dev:web` serves the admin app with hot reload and forwards /api to `npm start` on port 3000.
export default defineConfig({
  plugins: [react(), liffPage, liffLocales],
  server: { port: 5173, proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Two pages: the admin app, and the guest LIFF page opened inside LINE (liff.html, see src/features/liff/main.tsx).
    rolldownOptions: { input: { main: new URL('index.html', import.meta.url).pathname, liff: new URL('liff.html', import.meta.url).pathname } },
  },
});
