import { readFile, realpath } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * The file behind a loop device whose bytes are exactly the device's, or undefined.
 * With `dio` 0 the loop driver reads and writes its backing file through that file's page
 * cache (vfs reads and writes in its worker), and a write to the device completes only
 * after it is in that page cache; so, with no offset and no size limit, a read of the file
 * returns what an O_DIRECT read of the device returns, for every completed write — without
 * the loop worker's round trip per request. Not so with `dio` 1 (the loop writes the file
 * with O_DIRECT; its page cache may be stale), for anything that is not a loop device, or
 * for a backing file that has been replaced since (`(deleted)`).
 */
export async function loopBackingFile(device: string): Promise<string | undefined> {
  const name = basename(await realpath(device));
  const sys = `/sys/class/block/${name}/loop`;
  const get = async (f: string): Promise<string | undefined> => {
    try {
      return (await readFile(`${sys}/${f}`, 'utf8')).trim();
    } catch {
      return undefined;
    }
  };
  const [file, dio, offset, sizelimit] = await Promise.all([get('backing_file'), get('dio'), get('offset'), get('sizelimit')]);
  if (!file || file.endsWith('(deleted)') || dio !== '0' || offset !== '0' || sizelimit !== '0') return undefined;
  return file;
}
