import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * Ant Design's prebuilt stylesheet (antd/dist/antd.css, 982 kB, the theme's zeroRuntime) cut per component, each
 * part travelling with the component's code: a page's first paint waits only for the CSS of the components its chunks
 * hold, not for the rules of all 70 (tables, date pickers, steps, tours… on the sign-in page).
 *
 * The stylesheet is antd's own output, rule for rule: each top-level rule (or @media/@supports block) goes to the
 * component whose class its selector starts with (`.ant-btn…` → button, `.ant-picker…` → date-picker). What belongs
 * to no component (motions, keyframes, the wave effect, icons, the `a` reset) is the base part, loaded with the app.
 * Dropped: the token blocks scoped to the keys the stylesheet was rendered with (`.css-var-_R_…`): at run time the
 * tokens are written under `css-var-root`, so those rules match nothing.
 */

const require = createRequire(import.meta.url);
const ANTD_ES = path.join(path.dirname(require.resolve('antd/package.json')), 'es');
const ANTD_CSS = path.join(path.dirname(require.resolve('antd/package.json')), 'dist/antd.css');

/** Class prefixes that are not their component's folder name (antd's `prefixCls`). */
const PREFIX_FOLDER: Record<string, string> = {
  btn: 'button',
  picker: 'date-picker',
  'picker-calendar': 'calendar',
  'float-btn': 'float-button',
  ribbon: 'badge',
  otp: 'input',
};

/** Folders whose modules render other folders' components through internal paths (Form's Row and Col). */
const FOLDER_PARTS: Record<string, string[]> = { grid: ['row', 'col'] };

export const BASE = 'base';

/** Splits a stylesheet into its top-level rules and blocks (braces inside strings are skipped). */
export function topLevelBlocks(css: string): string[] {
  const blocks: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < css.length; i += 1) {
    const c = css[i];
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) {
      blocks.push(css.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (css.slice(start).trim()) throw new Error('antd.css: unbalanced braces at the end');
  return blocks;
}

/** The component folders with a style of their own (antd/es/<folder>/style). */
function styledFolders(): Set<string> {
  return new Set(fs.readdirSync(ANTD_ES).filter((folder) => fs.existsSync(path.join(ANTD_ES, folder, 'style'))));
}

/** The folder a class (without `ant-`) belongs to: the longest run of its dash-separated words naming a folder. */
function folderOf(className: string, folders: Set<string>): string | undefined {
  const words = className.split('-');
  for (let n = words.length; n > 0; n -= 1) {
    const prefix = words.slice(0, n).join('-');
    const folder = PREFIX_FOLDER[prefix] ?? (folders.has(prefix) ? prefix : undefined);
    if (folder) return folder;
  }
  return undefined;
}

/** antd.css cut per component folder (plus BASE), in the stylesheet's own order within each part. */
export function antdStylesByFolder(css = fs.readFileSync(ANTD_CSS, 'utf8')): Map<string, string> {
  const folders = styledFolders();
  const parts = new Map<string, string[]>();
  for (const block of topLevelBlocks(css)) {
    const head = block.slice(0, block.indexOf('{')).trim();
    if (/^\.css-var-_/.test(head)) continue;
    let folder = BASE;
    if (!head.startsWith('@keyframes')) {
      // For @media and the like, the first rule inside says whose it is.
      const selector = head.startsWith('@') ? block.slice(block.indexOf('{') + 1, block.indexOf('{', block.indexOf('{') + 1)) : head;
      // The first component class: `.ant-form-item .ant-input` is Form's, `textarea.ant-input` Input's.
      const first = /\.ant-([a-z0-9-]+)/.exec(selector);
      if (first) folder = folderOf(first[1] ?? '', folders) ?? BASE;
    }
    const list = parts.get(folder) ?? [];
    list.push(block);
    parts.set(folder, list);
  }
  return new Map([...parts].map(([folder, blocks]) => [folder, blocks.join('')]));
}

const VIRTUAL = 'virtual:antd-style/';
/**
 * A part's module id is a (non-existent) file in its component's folder, so vite.config.ts's chunk groups, which
 * test paths, put it in the same chunk as the component's code (tables' rules with the tables).
 */
const PART_FILE = 'innkeeper-antd-part.css';
const partId = (folder: string) => (folder === BASE ? path.join(ANTD_ES, PART_FILE) : path.join(ANTD_ES, folder, PART_FILE));
/** A module of antd/es outside the style generators (antd/es/<folder>/style/…). */
const ANTD_COMPONENT_MODULE = /[\\/]node_modules[\\/]antd[\\/]es[\\/](?![^\\/]+[\\/]style[\\/])[^?]+\.js$/;
/** `import useStyle from './style'` (or '../select/style'): where a component asks for its rules. */
const STYLE_IMPORT = /from\s*['"]((?:\.\.?\/)+(?:[a-z-]+\/)?style(?:\/index)?(?:\.js)?)['"]/g;

/** The component folders whose style hooks a module of antd/es calls (their `style` imports). */
export function styleFoldersOf(code: string, id: string): string[] {
  const folders = new Set<string>();
  for (const [, spec] of code.matchAll(STYLE_IMPORT)) {
    const target = path.relative(ANTD_ES, path.resolve(path.dirname(id), spec ?? '')).split(path.sep);
    // antd/es/style is antd's shared helpers, not a component.
    if (target.length >= 2 && target[1] === 'style' && target[0] !== 'style' && !target[0]?.startsWith('..')) folders.add(target[0] ?? '');
  }
  return [...folders];
}

/**
 * `import 'virtual:antd-style/<folder>.css'` is that component's part of antd.css (`base.css`: what belongs to no
 * component). Every module of antd that calls a component's style hook imports that component's part, so the bundler
 * puts each part in the CSS file of the chunk that holds the component, loaded with it. (Not every module of the
 * folder: antd's locales import the date pickers' texts, which would bring the date pickers' rules to every page.)
 */
export function antdStylesPerComponent(): Plugin {
  let parts: Map<string, string> | undefined;
  const partsNow = () => (parts ??= antdStylesByFolder());
  return {
    name: 'innkeeper-antd-styles-per-component',
    enforce: 'pre',
    resolveId(source) {
      if (!source.startsWith(VIRTUAL)) return null;
      const folder = source.slice(VIRTUAL.length).replace(/\.css$/, '');
      if (!partsNow().has(folder)) this.error(`${source}: antd.css has no rules for "${folder}"`);
      return partId(folder);
    },
    load(id) {
      if (!id.endsWith(PART_FILE)) return null;
      const folder = path.dirname(id) === ANTD_ES ? BASE : path.basename(path.dirname(id));
      return partsNow().get(folder) ?? '';
    },
    transform(code, id) {
      if (!ANTD_COMPONENT_MODULE.test(id)) return null;
      const own = styleFoldersOf(code, id)
        .flatMap((folder) => FOLDER_PARTS[folder] ?? [folder])
        .filter((part) => partsNow().has(part));
      if (own.length === 0) return null;
      return { code: `${own.map((part) => `import '${VIRTUAL}${part}.css';`).join('\n')}\n${code}`, map: null };
    },
  };
}

/** antd's style generators: `genStyleHooks(component, styleFn, getDefaultToken, options)` and its kin. */
const STYLE_HOOK_FACTORIES = new Set(['genStyleHooks', 'genComponentStyleHook', 'genSubStyleComponent']);
type AstNode = { type: string; start: number; end: number; callee?: AstNode; name?: string; arguments?: AstNode[] } & Record<string, unknown>;

/**
 * Keeps antd's style generators out of the bundle. Under the theme's zeroRuntime a component's style hook returns
 * before it would run its style function (@ant-design/cssinjs-utils genComponentStyleHook), the rules being in the
 * stylesheet above; yet every function that writes them (each component's style/*.js, ~120 kB of the first script)
 * was bundled. Here the style function passed to each factory becomes `() => []`, and the bundler drops what only it
 * used. What the hooks still do at run time is untouched: the component tokens' CSS variables (the factory's other
 * arguments, `prepareComponentToken` and its options) and the class names they return.
 */
export function antdStyleGeneratorsDropped(): Plugin {
  return {
    name: 'innkeeper-antd-style-generators-dropped',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]antd[\\/]es[\\/]/.test(id) || !/\bgen(StyleHooks|ComponentStyleHook|SubStyleComponent)\(/.test(code)) return null;
      const program = this.parse(code) as unknown as AstNode;
      const styleFunctions: AstNode[] = [];
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        const n = node as AstNode;
        if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && STYLE_HOOK_FACTORIES.has(n.callee.name ?? '') && (n.arguments?.length ?? 0) >= 2) {
          const styleFn = n.arguments?.[1];
          if (styleFn && (styleFn.type === 'ArrowFunctionExpression' || styleFn.type === 'FunctionExpression' || styleFn.type === 'Identifier')) styleFunctions.push(styleFn);
        }
        for (const [key, value] of Object.entries(n)) if (key !== 'callee' && value && typeof value === 'object') visit(value);
      };
      visit(program);
      if (styleFunctions.length === 0) return null;
      let out = code;
      for (const fn of styleFunctions.sort((a, b) => b.start - a.start)) {
        const text = code.slice(fn.start, fn.end);
        // Offsets must be the source's own (a multi-byte character before them would shift them): the text must still
        // be the function or name the parser saw, followed by the next argument or the call's end.
        const starts = fn.type === 'Identifier' ? text === fn.name : /^(?:\(|[\w$]+\s*=>|function\b)/.test(text);
        if (!starts || !/^\s*[,)]/.test(code.slice(fn.end))) {
          this.error(`${id}: the style function at ${fn.start} is not where the parser says (${text.slice(0, 40)}…)`);
        }
        out = `${out.slice(0, fn.start)}() => []${out.slice(fn.end)}`;
      }
      return { code: out, map: null };
    },
  };
}
