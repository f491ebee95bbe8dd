/**
 * Copies of loaded data files in the origin-private file system (OPFS), keyed by their
 * SHA-256, so a reloaded notebook re-attaches its datasets without asking for the files.
 * Streams both ways: a file is never held in memory whole.
 *
 * Bounded, because a copy costs as much as the file: on disk in a normal profile, and in memory
 * in a private (Incognito) window, where Chromium keeps OPFS in RAM (two 800 MB logs added 1 GB to
 * the browser process). Files above KEEP_FILE_MAX_BYTES are not copied (a reload asks for them
 * again, and checks the hash); past KEEP_TOTAL_BYTES the oldest copies go first.
 */

/** Largest file kept. */
export const KEEP_FILE_MAX_BYTES = 256 * 1024 * 1024;
/** Most bytes of copies kept in all. */
export const KEEP_TOTAL_BYTES = 1024 * 1024 * 1024;

export interface KeptCopy {
  name: string;
  size: number;
  /** When it was written (ms since 1970). */
  lastModified: number;
}

/**
 * The copies to delete so that all of `copies` fit in `budget` bytes: oldest first, never
 * `keep` (the copy just written).
 */
export function copiesToEvict(copies: readonly KeptCopy[], keep: string, budget = KEEP_TOTAL_BYTES): string[] {
  let total = copies.reduce((sum, c) => sum + c.size, 0);
  const evict: string[] = [];
  const oldestFirst = copies
    .filter((c) => c.name !== keep)
    .sort((a, b) => a.lastModified - b.lastModified || (a.name < b.name ? -1 : 1));
  for (const copy of oldestFirst) {
    if (total <= budget) break;
    evict.push(copy.name);
    total -= copy.size;
  }
  return evict;
}

async function datasetsDir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle("datasets", { create: true });
  } catch {
    return null;
  }
}

async function keptCopies(dir: FileSystemDirectoryHandle): Promise<KeptCopy[]> {
  const copies: KeptCopy[] = [];
  // entries() is not in every DOM lib yet; the handle is async-iterable in every browser with OPFS.
  for await (const [name, handle] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>) {
    if (handle.kind !== "file") continue;
    const file = await (handle as FileSystemFileHandle).getFile();
    copies.push({ name, size: file.size, lastModified: file.lastModified });
  }
  return copies;
}

/** Keeps a copy of `file` under its hash; returns false when it is not kept (too large, or no OPFS). */
export async function keepDatasetFile(sha256: string, file: Blob): Promise<boolean> {
  if (file.size > KEEP_FILE_MAX_BYTES) return false;
  const dir = await datasetsDir();
  if (!dir) return false;
  try {
    const existing = await dir.getFileHandle(sha256).catch(() => null);
    if (existing && (await existing.getFile()).size === file.size) return true;
    const handle = await dir.getFileHandle(sha256, { create: true });
    const writable = await handle.createWritable();
    await file.stream().pipeTo(writable);
    for (const name of copiesToEvict(await keptCopies(dir), sha256)) {
      await dir.removeEntry(name).catch(() => undefined);
    }
    return true;
  } catch {
    return false;
  }
}

/** The kept copy of a file, or null. */
export async function keptDatasetFile(sha256: string, name: string): Promise<File | null> {
  const dir = await datasetsDir();
  if (!dir) return null;
  try {
    const file = await (await dir.getFileHandle(sha256)).getFile();
    return new File([file], name, { type: file.type });
  } catch {
    return null;
  }
}
