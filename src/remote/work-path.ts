import { isAbsolute, join, relative } from 'node:path';

/** A controller work path under `root` mapped under a host's `<dataDir>/work` (pure). */
export function mapWorkPath(root: string, dataDir: string, path: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${path} is not a work path (outside ${root})`);
  return join(dataDir, 'work', rel);
}
