import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, readFile, realpath, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * A connection's drop folder (contract §9): `<PMS_DROP_ROOT>/<hotel group id>/<drop_dir>`, where the hotel's export
 * job (or an SFTP account) writes 德安's files. Each hotel group has a folder of its own under the root, named by its id:
 * a folder name typed by one group can never be another group's folder (with one shared namespace, a group that named a
 * folder first, before its owner had set up its connection, would have read the owner's guests). The folder name is one plain segment (the database checks it too), and every access
 * is checked again on disk, because the root is a shared place and a folder or file in it may be a symbolic link made
 * by someone else: a folder that resolves outside the root, an `archive` that is a link, and files that are links or
 * not regular files are refused; files are opened with O_NOFOLLOW so a file swapped for a link after the listing is
 * not followed either.
 */

export const DROP_DIR = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A hotel group's folder under the root: its id. */
const GROUP_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a group's drop folder lies under PMS_DROP_ROOT, as the PMS page tells the hotel's IT. */
export function dropFolderPath(owner: string, dir: string): string {
  return `${owner}/${dir}`;
}
/** 德安's export names (contract §9.1); anything else in the folder (a file still being written, notes) is left alone. */
export const DEAN_FILE_NAME = /^(GHIST_MN|GUEST_MN)_[^/\\]*\.(csv|xlsx)$/i;

export class DropFolderError extends Error {
  readonly code: 'drop_root_missing' | 'drop_dir_invalid' | 'drop_dir_outside_root' | 'drop_dir_claimed';
  constructor(code: DropFolderError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** The file in a drop folder naming the hotel group that first read it (a dot name: never a 德安 export). */
export const OWNER_FILE = '.innkeeper-owner';

/**
 * The folder `<root>/<owner>/<dir>` (owner: the tenant's id), created when missing; refused unless each part is a real
 * folder directly in the one above (no link out of the root) and it belongs to `owner`. The first read also claims the
 * folder for the group in OWNER_FILE: with the group's own folder above it a second claim cannot happen through
 * Innkeeper, and a folder someone put there by hand claiming another group is refused, not read.
 */
export async function resolveDropFolder(root: string | undefined, dir: string, owner: string): Promise<string> {
  if (!root) throw new DropFolderError('drop_root_missing', 'PMS_DROP_ROOT is not set: the server has no folder for dropped files.');
  if (!DROP_DIR.test(dir) || !GROUP_DIR.test(owner)) throw new DropFolderError('drop_dir_invalid', 'The drop folder must be one plain folder name.');
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    throw new DropFolderError('drop_root_missing', 'PMS_DROP_ROOT does not exist on the server.');
  }
  const group = await realFolderIn(realRoot, owner);
  await moveFolderOfBefore(realRoot, group, dir, owner);
  const folder = await realFolderIn(group, dir);
  if ((await claimedBy(folder, owner)) !== owner) {
    throw new DropFolderError('drop_dir_claimed', 'The drop folder belongs to another hotel group (it read files from it first); it is not read.');
  }
  return folder;
}

/**
 * Before migration 0046 a group's folder lay directly under the root (`<root>/<dir>`): the one this group claimed (its
 * owner file names the group, and it is a real folder) moves into the group's folder on the first read, with whatever
 * waits in it, so an export job still writing there is not left unread without a word. Another group's, a link, or
 * a folder nobody claimed stays where it is.
 */
async function moveFolderOfBefore(root: string, group: string, dir: string, owner: string): Promise<void> {
  const before = path.join(root, dir);
  const entry = await lstat(before).catch(() => null);
  if (!entry || entry.isSymbolicLink() || !entry.isDirectory()) return;
  if (await lstat(path.join(group, dir)).then(() => true, () => false)) return;
  const claim = path.join(before, OWNER_FILE);
  const claimed = await lstat(claim).catch(() => null);
  if (!claimed?.isFile() || claimed.size > 200 || (await readFile(claim, 'utf8')).trim() !== owner) return;
  await rename(before, path.join(group, dir));
}

/** `parent/name`, created when missing; refused unless it is a real folder directly in `parent` (no link out of it). */
async function realFolderIn(parent: string, name: string): Promise<string> {
  const folder = path.join(parent, name);
  await mkdir(folder, { recursive: true, mode: 0o770 });
  const stat = await lstat(folder);
  if (stat.isSymbolicLink() || !stat.isDirectory() || path.dirname(await realpath(folder)) !== parent) {
    throw new DropFolderError('drop_dir_outside_root', 'The drop folder is a link or lies outside PMS_DROP_ROOT; it is not read.');
  }
  return folder;
}

/** Who the folder belongs to: its owner file's content, written for `owner` when there is none (O_EXCL: one claim wins). */
async function claimedBy(folder: string, owner: string): Promise<string> {
  const file = path.join(folder, OWNER_FILE);
  try {
    const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o640);
    try {
      await handle.writeFile(`${owner}\n`);
    } finally {
      await handle.close();
    }
    return owner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = await lstat(file);
  // A link or anything but a small file is nobody's claim: refused.
  if (!stat.isFile() || stat.size > 200) return '';
  return (await readFile(file, 'utf8')).trim();
}

export type DroppedFile = { name: string; path: string };

/** 德安 export files waiting in the folder, in name order (the timestamp in the name orders them, contract §9.1). */
export async function listDroppedFiles(folder: string): Promise<{ files: DroppedFile[]; refused: string[] }> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: DroppedFile[] = [];
  const refused: string[] = [];
  for (const entry of entries) {
    if (!DEAN_FILE_NAME.test(entry.name)) continue;
    // Dirent types come from lstat: a link is never a file here.
    if (entry.isFile()) files.push({ name: entry.name, path: path.join(folder, entry.name) });
    else refused.push(entry.name);
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, refused };
}

/** The file's bytes, refused when it is (now) a link, not a regular file, or larger than `maxBytes`. */
export async function readDroppedFile(file: DroppedFile, maxBytes: number): Promise<{ bytes: Buffer } | { refused: 'not_a_regular_file' | 'too_large'; size: number }> {
  let handle;
  try {
    handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { refused: 'not_a_regular_file', size: 0 };
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { refused: 'not_a_regular_file', size: 0 };
    if (stat.size > maxBytes) return { refused: 'too_large', size: stat.size };
    return { bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/**
 * Moves a processed file into `archive/` (created when missing, refused when it is a link). A name already in the
 * archive (a re-dropped file) gets the time and a short hash appended, so nothing there is overwritten.
 */
export async function archiveDroppedFile(folder: string, name: string, tag: string): Promise<string> {
  const archive = path.join(folder, 'archive');
  await mkdir(archive, { recursive: true, mode: 0o770 });
  const stat = await lstat(archive);
  if (stat.isSymbolicLink() || !stat.isDirectory()) throw new DropFolderError('drop_dir_outside_root', 'The archive folder is a link; files are not moved into it.');
  let target = path.join(archive, name);
  const taken = await lstat(target).then(() => true, () => false);
  if (taken) {
    const ext = path.extname(name);
    target = path.join(archive, `${path.basename(name, ext)}.${tag}${ext}`);
  }
  await rename(path.join(folder, name), target);
  return path.basename(target);
}

/** What is wrong with a drop folder's place, as the PMS page and the start-up log say it (nothing is created or claimed). */
export type DropFolderState =
  | 'ok'
  | 'not_created'
  | 'drop_root_unset'
  | 'drop_root_missing'
  | 'drop_root_not_folder'
  | 'drop_root_not_writable'
  | 'drop_dir_outside_root'
  | 'drop_dir_not_writable'
  | 'drop_dir_claimed';

const writable = (dir: string) => access(dir, constants.R_OK | constants.W_OK | constants.X_OK).then(() => true, () => false);

/** PMS_DROP_ROOT itself: unset, missing, not a folder, or not writable by the server (files are archived into it). */
export async function inspectDropRoot(root: string | undefined): Promise<DropFolderState> {
  if (!root) return 'drop_root_unset';
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return 'drop_root_missing';
  }
  if (!(await stat(realRoot)).isDirectory()) return 'drop_root_not_folder';
  return (await writable(realRoot)) ? 'ok' : 'drop_root_not_writable';
}

/**
 * A connection's drop folder checked as a run would check it (resolveDropFolder), without creating or claiming it: so
 * a misconfigured server (PMS_DROP_ROOT unset or wrong, a folder another group claimed) shows on the PMS page before
 * a hotel's export waits there unread. `not_created`: fine, the first run creates it.
 */
export async function inspectDropFolder(root: string | undefined, dir: string, owner: string): Promise<DropFolderState> {
  const rootState = await inspectDropRoot(root);
  if (rootState !== 'ok') return rootState;
  if (!DROP_DIR.test(dir) || !GROUP_DIR.test(owner)) return 'drop_dir_outside_root';
  let folder = await realpath(root!);
  for (const name of [owner, dir]) {
    const parent = folder;
    folder = path.join(parent, name);
    let entry;
    try {
      entry = await lstat(folder);
    } catch {
      return 'not_created';
    }
    if (entry.isSymbolicLink() || !entry.isDirectory() || path.dirname(await realpath(folder)) !== parent) return 'drop_dir_outside_root';
  }
  if (!(await writable(folder))) return 'drop_dir_not_writable';
  const claim = path.join(folder, OWNER_FILE);
  const claimed = await lstat(claim).then((s) => s, () => null);
  if (claimed && (!claimed.isFile() || claimed.size > 200 || (await readFile(claim, 'utf8')).trim() !== owner)) return 'drop_dir_claimed';
  return 'ok';
}

/** The start-up log's words for a PMS_DROP_ROOT that cannot be used (null: unset, or fine). */
export async function dropRootProblem(root: string | undefined): Promise<string | null> {
  const state = await inspectDropRoot(root);
  if (state === 'ok' || state === 'drop_root_unset') return null;
  const why = { drop_root_missing: 'does not exist', drop_root_not_folder: 'is not a folder', drop_root_not_writable: 'cannot be read and written by the server' }[state as 'drop_root_missing'];
  return `PMS_DROP_ROOT (${root}) ${why}: files dropped for the PMS connections are not read until it is fixed.`;
}
