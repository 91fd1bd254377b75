import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Reads a file, or returns undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomUUID()}.tmp`;
}

async function writeTemp(path: string, content: string, mode: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = tempPathFor(path);
  await writeFile(tmp, content, { mode, flag: 'wx' });
  await chmod(tmp, mode); // writeFile's mode is subject to the umask
  return tmp;
}

/**
 * Publishes `content` at `path` only if no file is there yet: written to a temp file
 * first, then hard-linked into place (atomic, never overwrites), so a concurrent
 * reader never sees a partial file and of two racing writers exactly one wins.
 * Returns true when this call created the file, false when another one was there.
 */
export async function createFileExclusive(path: string, content: string, mode: number): Promise<boolean> {
  const tmp = await writeTemp(path, content, mode);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // A file system without hard links: rename, unless the file appeared meanwhile.
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      return false;
    await rename(tmp, path);
    return true;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Writes `content` at `path` atomically (temp file then rename), replacing any file there. */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  const tmp = await writeTemp(path, content, mode);
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
