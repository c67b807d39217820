import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRootProblem, inspectDropFolder, OWNER_FILE, resolveDropFolder } from '../pms.drop-folder.ts';

/** A drop folder's place checked before files wait there unread: what the PMS page and the start-up log say. */
let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'pms-drop-state-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('drop folder checks', () => {
  it('says what is wrong with PMS_DROP_ROOT: unset, missing, not a folder', async () => {
    expect(await inspectDropFolder(undefined, 'hotel-a', 'tenant-1')).toBe('drop_root_unset');
    expect(await inspectDropFolder(path.join(base, 'nowhere'), 'hotel-a', 'tenant-1')).toBe('drop_root_missing');
    await writeFile(path.join(base, 'a-file'), 'x');
    expect(await inspectDropFolder(path.join(base, 'a-file'), 'hotel-a', 'tenant-1')).toBe('drop_root_not_folder');
    expect(await dropRootProblem(path.join(base, 'nowhere'))).toMatch(/^PMS_DROP_ROOT \(.*nowhere\) does not exist/);
    expect(await dropRootProblem(path.join(base, 'a-file'))).toMatch(/is not a folder/);
    // Unset is a choice (uploads only), not a start-up problem; the page says it for a connection that names a folder.
    expect(await dropRootProblem(undefined)).toBeNull();
    expect(await dropRootProblem(base)).toBeNull();
  });

  it('a folder not made yet is fine (the first run makes it), and checking creates nothing; then ok for its group only', async () => {
    const root = path.join(base, 'root');
    await mkdir(root);
    expect(await inspectDropFolder(root, 'hotel-a', 'tenant-1')).toBe('not_created');
    expect(await inspectDropFolder(root, 'hotel-a', 'tenant-1')).toBe('not_created');
    await resolveDropFolder(root, 'hotel-a', 'tenant-1');
    expect(await inspectDropFolder(root, 'hotel-a', 'tenant-1')).toBe('ok');
    expect(await inspectDropFolder(root, 'hotel-a', 'tenant-2')).toBe('drop_dir_claimed');
  });

  it('a folder that is a link out of the root, or a claim that is a link, is refused as a run refuses it', async () => {
    const root = path.join(base, 'root2');
    const outside = path.join(base, 'outside');
    await mkdir(root);
    await mkdir(outside);
    await symlink(outside, path.join(root, 'linked'));
    expect(await inspectDropFolder(root, 'linked', 'tenant-1')).toBe('drop_dir_outside_root');
    await mkdir(path.join(root, 'hotel-b'));
    await symlink(path.join(outside, 'x'), path.join(root, 'hotel-b', OWNER_FILE));
    expect(await inspectDropFolder(root, 'hotel-b', 'tenant-1')).toBe('drop_dir_claimed');
  });
});
