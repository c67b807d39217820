import react from '@vitejs/plugin-react';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { antdStyleGeneratorsDropped, antdStylesPerComponent } from './antd-styles.ts';

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

const NODE_MODULES = /[\\/]node_modules[\\/]/;
/** Code only the guest LIFF page uses: it stays out of the admin app's chunks (and they out of the guest page). */
const GUEST_ONLY = /liff\.html|\?liff-only$|[\\/]src[\\/]features[\\/]liff[\\/]|[\\/]node_modules[\\/](@line[\\/]liff|@line[\\/]liff-mock|@liff[\\/][^\\/]+|tslib|tiny-sha256|jsbarcode|qrcode)[\\/]/;
/**
 * What the guest page shares with the admin app: React, the translation library, Vite's preload helpers, a vocabulary
 * file of the contracts and three small lib/ files. Keep it in step with src/features/liff's imports: otherwise the
 * guest page would load the admin app's whole shell, and the build stops (guestPageAlone below).
 */
const SHARED_WITH_GUEST_PAGE =
  /[\\/]node_modules[\\/](react|react-dom|scheduler|i18next|react-i18next)[\\/]|vite[\\/](preload-helper|modulepreload-polyfill)|[\\/]packages[\\/]contracts[\\/]src[\\/]vocabulary\.ts$|[\\/]src[\\/]lib[\\/](api-error|image-url|use-countdown)\.ts$/;
/**
 * Ant Design's table, date and other list components: the member pages need them, the sign-in page does not. (Not
 * the tabs: antd's Card, which the sign-in page is drawn in, imports them.)
 */
const DATA_COMPONENTS = /[\\/]node_modules[\\/](antd[\\/]es[\\/](table|list|date-picker|calendar|time-picker|pagination|tree|tree-select|transfer|descriptions|statistic|segmented)[\\/]|@rc-component[\\/](table|picker|pagination|tree|tree-select|segmented)[\\/]|dayjs[\\/]plugin[\\/])/;

/**
 * Ant Design's components that other pages use and the sign-in page does not: the signed-in layout's menu and user
 * menu, Result with its 403/404/500 illustrations, uploads, steps, drawers, switches, sliders… Each brings its part
 * of antd's stylesheet (antd-styles.ts), so they stay out of the sign-in page's first paint as well as its script.
 * (Not the rc-component menu and dropdown under them: antd's Card, which the sign-in page is drawn in, uses them
 * through its tabs.)
 */
const WIDGET_COMPONENTS = /[\\/]node_modules[\\/](antd[\\/]es[\\/](menu|dropdown|result|steps|upload|slider|image|progress|popconfirm|popover|input-number|drawer|switch|radio|avatar|badge|timeline|color-picker|collapse|checkbox|divider|tree-select|cascader|auto-complete|mentions|tour|transfer|splitter|carousel|qr-code|qrcode|rate|anchor|float-button|watermark|descriptions)[\\/]|@rc-component[\\/](steps|upload|slider|image|progress|drawer|switch|color-picker|collapse|cascader|mentions|tour|qrcode|rate|input-number|mini-decimal|checkbox)[\\/])/;

/**
 * Fewer, larger chunks. Left to itself the bundler cut a chunk for every set of pages sharing a module: the sign-in
 * page came in 37 requests and 會員 in 70, and a cold load spent its first ~500 ms fetching them six at a time.
 * - common: React and what else the guest page shares with the admin app (it loads nothing more of the admin app's);
 * - shell: everything the admin app loads before any page (the entry's static imports);
 * - data: Ant Design's tables, date pickers and their kind, for the pages that list and filter;
 * - widgets: Ant Design's components of the pages behind the sign-in page (WIDGET_COMPONENTS);
 * - ui: the other libraries that several pages use (forms, inputs, dialogs, tags), the sign-in page's included;
 * - pages: the features' code that several pages share (member data, tag chips, the segment builder);
 * - app: the small helpers of lib/, components/ and the sign-in pages that several pages share.
 * Each page keeps its own chunk; libraries of one page (the follow log's charts) stay with it.
 */
const CHUNK_GROUPS = [
  { name: 'common', test: SHARED_WITH_GUEST_PAGE, priority: 5 },
  { name: 'shell', tags: ['$initial' as const], test: (id: string) => !GUEST_ONLY.test(id), priority: 4 },
  // Only the matched modules: what they import (icons, checkboxes, scrolling) stays where the sign-in page finds it.
  { name: 'data', test: DATA_COMPONENTS, includeDependenciesRecursively: false, priority: 3 },
  { name: 'widgets', test: WIDGET_COMPONENTS, includeDependenciesRecursively: false, priority: 3 },
  { name: 'ui', test: (id: string) => NODE_MODULES.test(id) && !GUEST_ONLY.test(id) && !/[\\/]node_modules[\\/](echarts|zrender)[\\/]/.test(id), minShareCount: 2, priority: 2 },
  // Not the small helpers the sign-in pages share with the rest (the next group): through this chunk they would pull
  // the segment builder's date pickers into the sign-in page.
  { name: 'pages', test: (id: string) => /[\\/]src[\\/]features[\\/]/.test(id) && !/[\\/]features[\\/](auth|liff)[\\/]/.test(id), minShareCount: 2, includeDependenciesRecursively: false, priority: 1 },
  // Not the 403/404 results, nor the member list's plain elements: antd's Result, Avatar and Checkbox (in widgets) would
  // come with them (components/lazy-results.tsx, components/PlainElements.tsx).
  // With the contracts' small shared files (permissions, campaign limits): each was a request of its own (0.4, 1.7 kB).
  { name: 'app', test: (id: string) => (/[\\/]src[\\/](lib|components|features[\\/]auth)[\\/]/.test(id) || /[\\/]packages[\\/]contracts[\\/]src[\\/]/.test(id)) && !/[\\/]components[\\/]((NotFound|Forbidden)Result|PlainElements)\.tsx$/.test(id), minShareCount: 2, includeDependenciesRecursively: false, priority: 1 },
];

/** Stops the build when the guest page would load any of the admin app's chunks (see SHARED_WITH_GUEST_PAGE). */
const guestPageAlone: Plugin = {
  name: 'innkeeper-guest-page-alone',
  generateBundle(_options, bundle) {
    const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
    const entry = [...chunks.values()].find((chunk) => chunk.isEntry && chunk.name === 'liff');
    if (!entry) return;
    const admin = new Set(['main', 'ui', 'data', 'widgets', 'pages', 'app']);
    const seen = new Set<string>();
    const visit = (fileName: string) => {
      if (seen.has(fileName)) return;
      seen.add(fileName);
      const chunk = chunks.get(fileName);
      if (!chunk) return;
      if (admin.has(chunk.name)) this.error(`liff.html would load the admin app's ${chunk.name} chunk: add what the guest page shares to SHARED_WITH_GUEST_PAGE (vite.config.ts)`);
      chunk.imports.forEach(visit);
    };
    visit(entry.fileName);
  },
};

/** The signed-in layout and what only it uses: not part of the sign-in page (checked in preloadSignInPage). */
const SIGNED_IN_ONLY = /[\\/]src[\\/]app[\\/]layout[\\/](AppLayout|UserMenu)\.tsx$|[\\/]node_modules[\\/]antd[\\/]es[\\/](menu)[\\/]/;

/**
 * The sign-in page's chunks are fetched with the app's own (modulepreload in index.html), not once the app's script
 * has run and asked for them: every signed-out visit shows it, and signed-in pages need most of them too (ui, app).
 */
const preloadSignInPage: Plugin = {
  name: 'innkeeper-preload-sign-in-page',
  transformIndexHtml: {
    order: 'post',
    handler(html, context) {
      if (!context.bundle || !context.filename.endsWith('index.html')) return html;
      const chunks = Object.values(context.bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
      const signIn = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/features/auth/pages/LoginPage.tsx'));
      if (!signIn) this.error('index.html: the sign-in page (src/features/auth/pages/LoginPage.tsx) has no chunk to preload');
      const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const files = new Set<string>();
      // How each chunk was reached, so a failed check names the chain of chunks that brought tables in.
      const via = new Map<string, string>();
      const visit = (fileName: string, from?: string) => {
        if (files.has(fileName) || html.includes(`/${fileName}"`)) return;
        files.add(fileName);
        if (from) via.set(fileName, from);
        byFile.get(fileName)?.imports.forEach((next) => visit(next, fileName));
      };
      visit(signIn.fileName);
      // Tables and date pickers, and the other pages' widgets, are for the pages behind it: a new import that brings
      // them here stops the build.
      const heavy = [...files].find((fileName) => ['data', 'widgets'].includes(byFile.get(fileName)?.name ?? ''));
      if (heavy) {
        const chain: string[] = [];
        for (let at: string | undefined = heavy; at; at = via.get(at)) chain.unshift(at);
        const why = byFile.get(via.get(heavy) ?? '')?.moduleIds.filter((id) => !id.includes('node_modules')).slice(0, 8).join(', ');
        this.error(`the sign-in page would load ${heavy} (tables, date pickers or other pages' widgets) through ${chain.join(' → ')} (its own modules: ${why}): see DATA_COMPONENTS and WIDGET_COMPONENTS in vite.config.ts`);
      }
      // The signed-in layout (menu, header, user menu) is its own chunk, fetched once signed in (app/router/lazy-pages.ts).
      const main = chunks.find((chunk) => chunk.isEntry && chunk.name === 'main');
      const loaded = [main, ...[...files].map((fileName) => byFile.get(fileName)), ...(main?.imports ?? []).map((fileName) => byFile.get(fileName))];
      for (const chunk of loaded) {
        const layout = chunk?.moduleIds.find((id) => SIGNED_IN_ONLY.test(id));
        if (layout) this.error(`the sign-in page would load ${layout.replace(/^.*[\\/](src|node_modules)[\\/]/, '$1/')} (in ${chunk?.fileName}): keep the signed-in layout lazy (app/router/lazy-pages.ts)`);
      }
      // The stylesheets of those chunks (their components' part of antd's, antd-styles.ts) are fetched at once too, not
      // when the sign-in page's import runs; preloaded, so they hold nothing up before then. `crossorigin` as Vite's
      // loader asks for them, or the browser cannot reuse the preload and downloads each twice.
      const styles = [...files].flatMap((fileName) => [...(byFile.get(fileName)?.viteMetadata?.importedCss ?? [])]).filter((fileName) => !html.includes(`/${fileName}"`));
      return [
        ...[...files].map((fileName) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${fileName}` }, injectTo: 'head' as const })),
        ...[...new Set(styles)].map((fileName) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `/${fileName}` }, injectTo: 'head' as const })),
      ];
    },
  },
};

/**
 * Pages whose chunks the server names in the page it sends to a browser with a session cookie at their address
 * (dist/first-pages.json; apps/server build-app.ts): 會員 is where most staff start, and its table and date-picker
 * chunk would otherwise be asked for only once the app's script has run.
 */
const FIRST_PAGES: Record<string, string> = { '/members': '/src/features/member-pages/pages/MembersPage.tsx' };

const firstPagePreloads: Plugin = {
  name: 'innkeeper-first-page-preloads',
  apply: 'build',
  generateBundle(_options, bundle) {
    const chunks = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
    const main = chunks.find((chunk) => chunk.isEntry && chunk.name === 'main');
    if (!main) return;
    const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
    const inPage = new Set([main.fileName, ...main.imports]);
    const preloads: Record<string, string[]> = {};
    for (const [address, module] of Object.entries(FIRST_PAGES)) {
      const page = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(module));
      if (!page) this.error(`first-pages.json: ${module} has no chunk`);
      const files = new Set<string>();
      const visit = (fileName: string) => {
        if (files.has(fileName) || inPage.has(fileName)) return;
        files.add(fileName);
        byFile.get(fileName)?.imports.forEach(visit);
      };
      visit(page.fileName);
      // Every first page is behind the sign-in: the signed-in layout's chunk comes with it.
      const layout = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/app/layout/AppLayout.tsx'));
      if (!layout) this.error('first-pages.json: the signed-in layout (src/app/layout/AppLayout.tsx) has no chunk');
      visit(layout.fileName);
      // With their stylesheets (the server preloads them as styles).
      const styles = [...files].flatMap((fileName) => [...(byFile.get(fileName)?.viteMetadata?.importedCss ?? [])]);
      preloads[address] = [...files, ...new Set(styles)];
    }
    this.emitFile({ type: 'asset', fileName: 'first-pages.json', source: JSON.stringify(preloads) });
  },
};

// `npm run dev:web` serves the admin app with hot reload and forwards /api to `npm start` on port 3000.
export default defineConfig({
  plugins: [react(), antdStylesPerComponent(), antdStyleGeneratorsDropped(), liffPage, liffLocales, guestPageAlone, preloadSignInPage, firstPagePreloads],
  server: { port: 5173, proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // Two pages: the admin app, and the guest LIFF page opened inside LINE (liff.html, see src/features/liff/main.tsx).
      input: { main: new URL('index.html', import.meta.url).pathname, liff: new URL('liff.html', import.meta.url).pathname },
      output: { codeSplitting: { groups: CHUNK_GROUPS } },
    },
  },
});
