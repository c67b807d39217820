import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFolderPath, dropRootProblem, inspectDropFolder, OWNER_FILE, resolveDropFolder } from '../pms.drop-folder.ts';

/** Two hotel groups (tenant ids). */
const GROUP_A = '0192f3e0-0000-7000-8000-00000000000a';
const GROUP_B = '0192f3e0-0000-7000-8000-00000000000b';

/** A drop folder's place checked before files wait there unread: what the PMS page and the start-up log say. */
let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'pms-drop-state-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('drop folder checks', () => {
  it('says what is wrong with PMS_DROP_ROOT: unset, missing, not a folder', async () => {
    expect(await inspectDropFolder(undefined, 'hotel-a', GROUP_A)).toBe('drop_root_unset');
    expect(await inspectDropFolder(path.join(base, 'nowhere'), 'hotel-a', GROUP_A)).toBe('drop_root_missing');
    await writeFile(path.join(base, 'a-file'), 'x');
    expect(await inspectDropFolder(path.join(base, 'a-file'), 'hotel-a', GROUP_A)).toBe('drop_root_not_folder');
    expect(await dropRootProblem(path.join(base, 'nowhere'))).toMatch(/^PMS_DROP_ROOT \(.*nowhere\) does not exist/);
    expect(await dropRootProblem(path.join(base, 'a-file'))).toMatch(/is not a folder/);
    // Unset is a choice (uploads only), not a start-up problem; the page says it for a connection that names a folder.
    expect(await dropRootProblem(undefined)).toBeNull();
    expect(await dropRootProblem(base)).toBeNull();
  });

  it('a folder not made yet is fine (the first run makes it), and checking creates nothing; then ok for its group only', async () => {
    const root = path.join(base, 'root');
    await mkdir(root);
    expect(await inspectDropFolder(root, 'hotel-a', GROUP_A)).toBe('not_created');
    expect(await inspectDropFolder(root, 'hotel-a', GROUP_A)).toBe('not_created');
    expect(await resolveDropFolder(root, 'hotel-a', GROUP_A)).toBe(path.join(root, dropFolderPath(GROUP_A, 'hotel-a')));
    expect(await inspectDropFolder(root, 'hotel-a', GROUP_A)).toBe('ok');
    // Another group naming the same folder has a folder of its own (never the first group's, whoever named it first).
    expect(await inspectDropFolder(root, 'hotel-a', GROUP_B)).toBe('not_created');
    expect(await resolveDropFolder(root, 'hotel-a', GROUP_B)).toBe(path.join(root, GROUP_B, 'hotel-a'));
    expect((await readdir(root)).sort()).toEqual([GROUP_A, GROUP_B]);
  });

  it('a group folder that is not a group id, or a folder name that is not one plain name, is refused', async () => {
    const root = path.join(base, 'root3');
    await mkdir(root);
    await expect(resolveDropFolder(root, 'hotel-a', '..')).rejects.toMatchObject({ code: 'drop_dir_invalid' });
    await expect(resolveDropFolder(root, '../x', GROUP_A)).rejects.toMatchObject({ code: 'drop_dir_invalid' });
    expect(await readdir(root)).toEqual([]);
  });

  it('a folder that is a link out of the root, or a claim that is a link, is refused as a run refuses it', async () => {
    const root = path.join(base, 'root2');
    const outside = path.join(base, 'outside');
    await mkdir(root);
    await mkdir(outside);
    await mkdir(path.join(root, GROUP_A));
    await symlink(outside, path.join(root, GROUP_A, 'linked'));
    expect(await inspectDropFolder(root, 'linked', GROUP_A)).toBe('drop_dir_outside_root');
    await expect(resolveDropFolder(root, 'linked', GROUP_A)).rejects.toMatchObject({ code: 'drop_dir_outside_root' });
    // The group's own folder a link: refused as well.
    await symlink(outside, path.join(root, GROUP_B));
    expect(await inspectDropFolder(root, 'hotel-b', GROUP_B)).toBe('drop_dir_outside_root');
    await mkdir(path.join(root, GROUP_A, 'hotel-b'));
    await symlink(path.join(outside, 'x'), path.join(root, GROUP_A, 'hotel-b', OWNER_FILE));
    expect(await inspectDropFolder(root, 'hotel-b', GROUP_A)).toBe('drop_dir_claimed');
  });

  it('a folder the group claimed under the root before each group had its own moves in with its files at the first read; another group’s stays', async () => {
    const root = path.join(base, 'root4');
    await mkdir(path.join(root, 'hotel-old'), { recursive: true });
    await writeFile(path.join(root, 'hotel-old', OWNER_FILE), `${GROUP_A}\n`);
    await writeFile(path.join(root, 'hotel-old', 'GHIST_MN_01_20261205100000_DELTA.csv'), 'x');
    await mkdir(path.join(root, 'theirs'));
    await writeFile(path.join(root, 'theirs', OWNER_FILE), `${GROUP_B}\n`);
    const folder = await resolveDropFolder(root, 'hotel-old', GROUP_A);
    expect(folder).toBe(path.join(root, GROUP_A, 'hotel-old'));
    expect((await readdir(folder)).sort()).toEqual([OWNER_FILE, 'GHIST_MN_01_20261205100000_DELTA.csv']);
    // Group A naming B's old folder gets a new one of its own; B's stays, unread, for B.
    expect(await resolveDropFolder(root, 'theirs', GROUP_A)).toBe(path.join(root, GROUP_A, 'theirs'));
    expect((await readFile(path.join(root, 'theirs', OWNER_FILE), 'utf8')).trim()).toBe(GROUP_B);
  });
});
