/**
 * Epochs of the stamped workload's writers: every block a writer stamps carries its epoch,
 * so the verifier and the runs.csv write-latency columns can tell whose write it was.
 * The initial fill is epoch 0.
 */

/** The epoch of the instance on A, the source. */
export const SOURCE_EPOCH = 1;

/** The epoch of the instance booted on B, the destination. */
export const DEST_EPOCH = 2;

/** The epoch of the instance booted again on B after B crashed (`--fault dest-crash`). */
export const DEST_REBOOT_EPOCH = 3;
