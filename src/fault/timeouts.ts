/**
 * The timeouts and reconnect options migbench sets on the components that talk to the
 * source over the link, in one place: the clone backends read them, and meta.json records
 * them (`fault_tolerance`), because what a fault costs depends on them.
 */

/**
 * QEMU's NBD client (the qemu clone's backing node on A's export). After an unexpected
 * disconnect it keeps reconnecting; requests wait `reconnect-delay` seconds for it and
 * fail with EIO after that (0, QEMU's default, fails them at once: a restarted source
 * could never be resumed). QEMU tries again 1, 3, 7 and 15 s after the disconnect (its
 * connect thread sleeps 1, 2, 4, 8 s between attempts, nbd/client-connection.c): with the
 * old 5 s a source restarted after 3 s missed the 3 s attempt by its start-up time and the
 * requests failed at 5 s, before the one at 7 s. 16 s lets a restart within ~15 s resume.
 * `open-timeout` bounds the first connection.
 */
export const QEMU_NBD_CLIENT = { 'reconnect-delay': 16, 'open-timeout': 10 } as const;

/** What meta.json records: each component's settings as passed to it. */
export const FAULT_TOLERANCE = {
  qemu_nbd_client: { ...QEMU_NBD_CLIENT, note: 'blockdev-add options of the qemu clone backend’s nbd node' },
  nbd_client: { t: 60, note: 'nbd-client -t (dm-clone backend and dm-era tracking): kernel NBD request timeout, s' },
  qemu_block_jobs: { 'on-error': 'report', note: 'block-stream (hydration with --hydration-rate) keeps QEMU’s default error policy: a failed read ends the job, migbench resumes it after a transient fault' },
  repetition: { note: 'every repetition is bounded by --timeout; the fault is undone by the repetition’s scope' },
} as const;
