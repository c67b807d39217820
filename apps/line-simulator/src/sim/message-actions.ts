import type { LineMessage } from '../state/types.ts';

export type FoundAction = { action: Record<string, unknown>; label: string | null; where: string };

/** Every tappable action in a message, in reading order; used by scripted clicks to find "button Y". */
export function collectActions(message: LineMessage): FoundAction[] {
  const out: FoundAction[] = [];
  const add = (a: unknown, where: string) => {
    if (a && typeof a === 'object' && 'type' in a) {
      const action = a as Record<string, unknown>;
      out.push({ action, label: typeof action['label'] === 'string' ? action['label'] : null, where });
    }
  };
  const m = message as Record<string, unknown>;
  if (m['type'] === 'template') {
    const t = (m['template'] ?? {}) as Record<string, unknown>;
    if (Array.isArray(t['columns'])) {
      t['columns'].forEach((c: Record<string, unknown>, i: number) => {
        add(c['defaultAction'], `template.columns[${i}].defaultAction`);
        add(c['action'], `template.columns[${i}].action`);
        (Array.isArray(c['actions']) ? c['actions'] : []).forEach((a: unknown, j: number) => add(a, `template.columns[${i}].actions[${j}]`));
      });
    }
    add(t['defaultAction'], 'template.defaultAction');
    (Array.isArray(t['actions']) ? t['actions'] : []).forEach((a: unknown, j: number) => add(a, `template.actions[${j}]`));
  }
  if (m['type'] === 'imagemap') {
    (Array.isArray(m['actions']) ? m['actions'] : []).forEach((a: Record<string, unknown>, j: number) => add(a['type'] === 'uri' ? { ...a, uri: a['linkUri'] } : a, `actions[${j}]`));
  }
  if (m['type'] === 'flex') walkFlex(m['contents'], 'contents', add);
  if (m['type'] === 'text' && typeof m['text'] === 'string') {
    // LINE auto-links URLs in text; opening one counts as a click.
    for (const url of m['text'].match(/https?:\/\/[^\s]+/g) ?? []) add({ type: 'uri', label: url, uri: url }, 'text');
  }
  const qr = (m['quickReply'] as { items?: { action?: unknown }[] } | undefined)?.items ?? [];
  qr.forEach((item, j) => add(item.action, `quickReply.items[${j}]`));
  return out;
}

function walkFlex(node: unknown, where: string, add: (a: unknown, where: string) => void): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (n['action']) add(n['action'], `${where}.action`);
  for (const key of ['header', 'hero', 'body', 'footer']) if (n[key]) walkFlex(n[key], `${where}.${key}`, add);
  if (Array.isArray(n['contents'])) n['contents'].forEach((c: unknown, i: number) => walkFlex(c, `${where}.contents[${i}]`, add));
}

export type ActionSelector = { label?: string; index?: number; type?: string; data?: string; uri?: string };

export function pickAction(actions: FoundAction[], sel: ActionSelector | undefined): FoundAction | undefined {
  if (!sel) return actions[0];
  if (sel.index !== undefined) return actions[sel.index];
  return actions.find(
    (a) =>
      (sel.label === undefined || a.label === sel.label) &&
      (sel.type === undefined || a.action['type'] === sel.type) &&
      (sel.data === undefined || a.action['data'] === sel.data) &&
      (sel.uri === undefined || a.action['uri'] === sel.uri),
  );
}
