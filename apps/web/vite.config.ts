import react from '@vitejs/plugin-react';
import type { ChunkingContext } from 'rolldown';
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
 * What 會員, the first page most staff see, draws before its first row: the signed-in layout (menu, header, user menu,
 * language switch) and the member list with the member, tag and segment data it shows. Its dialogs and drawers are
 * not here: they are their own chunk, fetched once the rows are shown (member-pages/components/MembersDialogs.tsx).
 * With the one icon only the list draws (the filter button's; imported through the icons' index, so no importer says
 * it is the list's alone): in a chunk of its own, 會員 would have one more request.
 */
const SIGNED_IN_FIRST_PAGE = /[\\/]src[\\/](app[\\/]layout[\\/](AppLayout|UserMenu)\.tsx|app[\\/]router[\\/]page-data\.ts|session[\\/]SessionLanguageSwitch\.tsx|components[\\/](PlainElements|lazy-part)\.tsx|features[\\/](member-pages[\\/](pages[\\/]MembersPage|components[\\/](MembersTable|MembersTabs|LineIdentity))\.tsx|members[\\/](index|labels|use-member-filters|api[\\/](members|segment-definition|types))\.ts|tags[\\/](index\.ts|api\.ts|components[\\/]TagChips\.tsx)|segments[\\/]api\.ts))$|[\\/]node_modules[\\/]@ant-design[\\/]icons(-svg)?[\\/]es[\\/](icons|asn)[\\/]FilterOutlined\.js$/;
/**
 * The antd components those draw that are in the data and widgets groups: the list's pagination and select-all
 * checkbox (the list is drawn in antd's Table's markup, not by its Table: MembersTable.tsx), the menus and the badge.
 * antd's Table is in `data`, for the pages that draw it.
 */
const SIGNED_IN_FIRST_COMPONENTS = /[\\/]node_modules[\\/]antd[\\/]es[\\/](pagination|checkbox|menu|dropdown|badge)[\\/]index\.js$/;
const ANTD_INDEX = /[\\/]node_modules[\\/]antd[\\/]es[\\/]index\.js$/;

/**
 * The `signed-in` group: SIGNED_IN_FIRST_PAGE; the modules of the data and widgets groups that the components of
 * SIGNED_IN_FIRST_COMPONENTS import, directly or through other libraries (not through antd's index, which imports every
 * component), or that those pages import themselves (their part of antd's stylesheet); and the libraries only these
 * import (their icons). One chunk and one stylesheet instead of five of each (the layout, the page, the plain elements,
 * the language switch and `pages`, plus all of `widgets` and `data`): 會員's files come in two waves over the six
 * connections Chromium opens to a host over HTTP/1.1, instead of three, and its first paint parses only what it draws.
 * Other signed-in pages load it too (they are drawn in the same layout, most of them with a table).
 */
function signedInFirstPage(): (id: string, ctx: ChunkingContext) => string | null {
  const memo = new Map<string, boolean>();
  const remembered = (id: string, decide: () => boolean): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false); // an import cycle does not make a module part of the group
    const result = decide();
    memo.set(id, result);
    return result;
  };
  const drawnBy = (id: string, ctx: ChunkingContext): boolean =>
    remembered(`drawn:${id}`, () => SIGNED_IN_FIRST_COMPONENTS.test(id) || (ctx.getModuleInfo(id)?.importers ?? []).some((importer) => SIGNED_IN_FIRST_PAGE.test(importer) || (NODE_MODULES.test(importer) && !ANTD_INDEX.test(importer) && drawnBy(importer, ctx))));
  const inGroup = (id: string, ctx: ChunkingContext): boolean =>
    remembered(id, () => {
      if (SIGNED_IN_FIRST_PAGE.test(id)) return true;
      if (!NODE_MODULES.test(id)) return false;
      if (DATA_COMPONENTS.test(id) || WIDGET_COMPONENTS.test(id)) return drawnBy(id, ctx);
      const info = ctx.getModuleInfo(id);
      return Boolean(info && info.importers.length > 0 && info.dynamicImporters.length === 0 && info.importers.every((importer) => inGroup(importer, ctx)));
    });
  return (id, ctx) => (inGroup(id, ctx) ? 'signed-in' : null);
}

/**
 * Fewer, larger chunks. Left to itself the bundler cut a chunk for every set of pages sharing a module: the sign-in
 * page came in 37 requests and 會員 in 70, and a cold load spent its first ~500 ms fetching them six at a time.
 * - common: React and what else the guest page shares with the admin app (it loads nothing more of the admin app's);
 * - shell: everything the admin app loads before any page (the entry's static imports);
 * - signed-in: what 會員 draws first (above), the layout around every signed-in page included;
 * - data: Ant Design's tables, date pickers and their kind, for the pages that list and filter;
 * - widgets: Ant Design's components of the pages behind the sign-in page (WIDGET_COMPONENTS);
 * - ui: the other libraries that several pages use (forms, inputs, dialogs, tags), the sign-in page's included, and
 *   the small helpers of lib/, components/ and the sign-in pages that several pages share (APP_HELPERS);
 * - pages: the features' code that several pages share (the member form, the segment builder, the message editor).
 * Each page keeps its own chunk; libraries of one page (the follow log's charts) stay with it.
 */

/**
 * The small helpers of lib/, components/ and the sign-in pages that several pages share, with the contracts' small
 * shared files (permissions, campaign limits): in the ui chunk, which both first pages load (the sign-in page and 會員),
 * not an `app` chunk of their own (one request less for each; only the matched modules, as for `pages`). Not the 403/404 results, nor the member list's plain elements:
 * antd's Result, Avatar and Checkbox (in widgets) would come with them (components/lazy-results.tsx,
 * components/PlainElements.tsx).
 */
const APP_HELPERS = (id: string) => (/[\\/]src[\\/](lib|components|features[\\/]auth)[\\/]/.test(id) || /[\\/]packages[\\/]contracts[\\/]src[\\/]/.test(id)) && !/[\\/]components[\\/]((NotFound|Forbidden)Result|PlainElements)\.tsx$/.test(id);

const CHUNK_GROUPS = [
  { name: 'common', test: SHARED_WITH_GUEST_PAGE, priority: 6 },
  { name: 'shell', tags: ['$initial' as const], test: (id: string) => !GUEST_ONLY.test(id), priority: 5 },
  { name: signedInFirstPage(), debugName: 'signed-in', includeDependenciesRecursively: false, priority: 4 },
  // Only the matched modules: what they import (icons, checkboxes, scrolling) stays where the sign-in page finds it.
  { name: 'data', test: DATA_COMPONENTS, includeDependenciesRecursively: false, priority: 3 },
  { name: 'widgets', test: WIDGET_COMPONENTS, includeDependenciesRecursively: false, priority: 3 },
  { name: 'ui', test: (id: string) => (NODE_MODULES.test(id) && !GUEST_ONLY.test(id) && !/[\\/]node_modules[\\/](echarts|zrender)[\\/]/.test(id)) || APP_HELPERS(id), minShareCount: 2, includeDependenciesRecursively: false, priority: 2 },
  // Not the small helpers the sign-in pages share with the rest (the next group): through this chunk they would pull
  // the segment builder's date pickers into the sign-in page.
  { name: 'pages', test: (id: string) => /[\\/]src[\\/]features[\\/]/.test(id) && !/[\\/]features[\\/](auth|liff)[\\/]/.test(id), minShareCount: 2, includeDependenciesRecursively: false, priority: 1 },
];

const IS_BRIGHT = '\0innkeeper-antd-is-bright.js';
/** antd's modules that import the colour picker for a colour class (its AggregationColor, its presets' `isBright`): Button's
 * and Tag's tokens, and Tooltip's colour through color-picker/util. */
const ANTD_COLOR_USERS = /[\\/]node_modules[\\/]antd[\\/]es[\\/](button[\\/]style[\\/]token|tag[\\/]style[\\/]index|color-picker[\\/](color|util))\.js$/;

/**
 * Keeps the colour picker and Collapse out of the first script. antd's Button and Tag compute their tokens with
 * `isBright`, which they import from the colour picker's presets panel (color-picker/components/ColorPresets.js); that
 * module imports Collapse for the panel, and the colour class comes through @rc-component/color-picker's index, which
 * imports the picker itself (also for Tooltip, through color-picker/util): ~40 kB of code and Collapse's part of antd's stylesheet in the main chunk, for one
 * function of four lines and a class. Those imports get the function (a copy: `isBright` below is antd 6's own, line for
 * line) and the class from its own module; the colour picker and Collapse load with the pages that draw them (widgets).
 */
const antdColorAlone: Plugin = {
  name: 'innkeeper-antd-color-alone',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (!importer || !ANTD_COLOR_USERS.test(importer)) return null;
    if (source === '../../color-picker/components/ColorPresets') return IS_BRIGHT;
    if (source === '@rc-component/color-picker') return this.resolve('@rc-component/color-picker/es/color.js', importer, { ...options, skipSelf: true });
    return null;
  },
  load(id) {
    if (id !== IS_BRIGHT) return null;
    return [
      "import { Color as RcColor } from '@rc-component/color-picker/es/color.js';",
      'export const isBright = (value, bgColorToken) => {',
      '  const { r, g, b, a } = value.toRgb();',
      '  const hsv = new RcColor(value.toRgbString()).onBackground(bgColorToken).toHsv();',
      '  if (a <= 0.5) return hsv.v > 0.5;',
      '  return r * 0.299 + g * 0.587 + b * 0.114 > 192;',
      '};',
    ].join('\n');
  },
};

/** Stops the build when the guest page would load any of the admin app's chunks (see SHARED_WITH_GUEST_PAGE). */
const guestPageAlone: Plugin = {
  name: 'innkeeper-guest-page-alone',
  generateBundle(_options, bundle) {
    const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
    const entry = [...chunks.values()].find((chunk) => chunk.isEntry && chunk.name === 'liff');
    if (!entry) return;
    const admin = new Set(['main', 'ui', 'signed-in', 'data', 'widgets', 'pages']);
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

/** The colour picker's and Collapse's own code: not in the first script nor the sign-in page's (antdColorAlone). */
const COLOUR_PICKER_PARTS = /[\\/]node_modules[\\/](antd[\\/]es[\\/](collapse[\\/]|color-picker[\\/](ColorPicker\.js|components[\\/]))|@rc-component[\\/](collapse[\\/]|color-picker[\\/]es[\\/](ColorPicker\.js|components[\\/]|hooks[\\/])))/;

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
      const heavy = [...files].find((fileName) => ['signed-in', 'data', 'widgets'].includes(byFile.get(fileName)?.name ?? ''));
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
      // Nor the colour picker or Collapse, which antd's Button, Tag and Tooltip would bring (antdColorAlone).
      for (const chunk of loaded) {
        const picker = chunk?.moduleIds.find((id) => COLOUR_PICKER_PARTS.test(id));
        if (picker) this.error(`the sign-in page would load ${picker.replace(/^.*[\\/]node_modules[\\/]/, '')} (in ${chunk?.fileName}): see antdColorAlone in vite.config.ts (did antd move isBright or the colour class?)`);
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

/** The chunk a page's module is in: its own, or a group's (the `signed-in` group holds 會員's page and the layout). */
const holds = (chunk: { facadeModuleId: string | null; moduleIds: readonly string[] }, module: string) => chunk.facadeModuleId?.endsWith(module) ?? chunk.moduleIds.some((id) => id.endsWith(module));

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
      const page = chunks.find((chunk) => holds(chunk, module));
      if (!page) this.error(`first-pages.json: ${module} has no chunk`);
      const files = new Set<string>();
      const visit = (fileName: string) => {
        if (files.has(fileName) || inPage.has(fileName)) return;
        files.add(fileName);
        byFile.get(fileName)?.imports.forEach(visit);
      };
      visit(page.fileName);
      // Every first page is behind the sign-in: the signed-in layout's chunk comes with it.
      const layout = chunks.find((chunk) => holds(chunk, '/src/app/layout/AppLayout.tsx'));
      if (!layout) this.error('first-pages.json: the signed-in layout (src/app/layout/AppLayout.tsx) has no chunk');
      visit(layout.fileName);
      // What 會員 draws first is the signed-in chunk (SIGNED_IN_FIRST_PAGE): a new static import that brings in the other
      // pages' widgets, date pickers or shared editors (its dialogs' code) stops the build.
      const heavy = [...files].find((fileName) => ['data', 'widgets', 'pages'].includes(byFile.get(fileName)?.name ?? ''));
      if (heavy) this.error(`first-pages.json: ${address} would load ${heavy} before its first paint: keep its dialogs lazy (MembersDialogs) and what it draws in SIGNED_IN_FIRST_PAGE (vite.config.ts)`);
      // With their stylesheets (the server preloads them as styles).
      const styles = [...files].flatMap((fileName) => [...(byFile.get(fileName)?.viteMetadata?.importedCss ?? [])]);
      preloads[address] = [...files, ...new Set(styles)];
    }
    this.emitFile({ type: 'asset', fileName: 'first-pages.json', source: JSON.stringify(preloads) });
  },
};

// `npm run dev:web` serves the admin app with hot reload and forwards /api to `npm start` on port 3000.
export default defineConfig({
  plugins: [react(), antdColorAlone, antdStylesPerComponent(), antdStyleGeneratorsDropped(), liffPage, liffLocales, guestPageAlone, preloadSignInPage, firstPagePreloads],
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
