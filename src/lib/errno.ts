/** A file-system error as the end of a sentence about a path: "… does not exist", "… is a folder". */

const PHRASES: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a folder',
  ENOTDIR: 'has a file where a folder of its path should be',
  EEXIST: 'has a file where a folder of its path should be',
  EACCES: 'cannot be opened: permission denied',
  EPERM: 'cannot be opened: permission denied',
  EROFS: 'cannot be written: the file system is read-only',
  ENOSPC: 'cannot be written: the disk is full',
}

export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : 'error'
}

/** `does not exist`, `is a folder`, … or `cannot be read (EIO)` for the rest. */
export function fsProblem(err: unknown, verb = 'read'): string {
  const code = errorCode(err)
  return PHRASES[code] ?? `cannot be ${verb} (${code})`
}
