/**
 * Copies of loaded data files in the origin-private file system (OPFS), keyed by their
 * SHA-256, so a reloaded notebook re-attaches its datasets without asking for the files.
 * Streams both ways: a file is never held in memory whole.
 */

async function datasetsDir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const root = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle("datasets", { create: true });
  } catch {
    return null;
  }
}

/** Keeps a copy of `file` under its hash; returns false when this browser cannot. */
export async function keepDatasetFile(sha256: string, file: Blob): Promise<boolean> {
  const dir = await datasetsDir();
  if (!dir) return false;
  try {
    const existing = await dir.getFileHandle(sha256).catch(() => null);
    if (existing && (await existing.getFile()).size === file.size) return true;
    const handle = await dir.getFileHandle(sha256, { create: true });
    const writable = await handle.createWritable();
    await file.stream().pipeTo(writable);
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
