import { describe, expect, it } from 'vitest';
import { isRequestContext, propertyScope, systemContext } from '../context.ts';
import type { Tx } from '../db/database.ts';
import { asTenantId } from '../ids.ts';
import { contribute, createExtensions, extensionPoint } from '../module.ts';

const tenantId = asTenantId('00000000-0000-4000-8000-000000000001');
const tx = {} as Tx;

describe('system contexts', () => {
  it('state every property, the system actor and what they are; after-commit tasks go where the caller collects them', () => {
    const tasks: Array<() => Promise<void>> = [];
    const ctx = systemContext(tx, tenantId, 'line', { requestId: 'line.process-inbox', afterCommit: (task) => tasks.push(task) });
    expect(ctx).toMatchObject({ kind: 'system', tenantId, db: tx, actor: { kind: 'system', name: 'line' }, propertyScope: { kind: 'all' }, ip: '', requestId: 'line.process-inbox' });
    expect(isRequestContext(ctx)).toBe(false);
    ctx.afterCommit(async () => undefined);
    expect(tasks).toHaveLength(1);
    expect(systemContext(tx, tenantId, 'rule').requestId).toBe('rule');
  });

  it("turn an account's stored properties into a scope", () => {
    expect(propertyScope('all')).toEqual({ kind: 'all' });
    expect(propertyScope(['p1', 'p2'])).toEqual({ kind: 'properties', ids: ['p1', 'p2'] });
    expect(propertyScope([])).toEqual({ kind: 'properties', ids: [] });
  });
});

describe('extension points', () => {
  it('give the owner every item contributed, in order, and a copy it cannot change the registry through', () => {
    const greetings = extensionPoint<string>('greetings');
    const others = extensionPoint<number>('others');
    const extensions = createExtensions();
    for (const { point, item } of [...contribute(greetings, 'hello', 'bonjour'), ...contribute(others, 1)]) extensions.add(point, item);
    extensions.add(greetings, '你好');
    const read = extensions.of(greetings);
    expect(read).toEqual(['hello', 'bonjour', '你好']);
    read.pop();
    expect(extensions.of(greetings)).toHaveLength(3);
    expect(extensions.of(others)).toEqual([1]);
    expect(extensions.of(extensionPoint<string>('greetings'))).toEqual([]);
  });
});
