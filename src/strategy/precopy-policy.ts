/** Why pre-copy stopped iterating. */
export type StopReason = 'converged' | 'max-rounds' | 'stalled';

/**
 * The pre-copy iteration rule, pure: after a pass that copied `lastCopied` bytes, with
 * `dirty` bytes written meanwhile and `rounds` passes done, keep going or stop and why.
 * Converged when the dirty set is at most `convergeBytes`; otherwise stop at the round
 * limit, or when the pass did not shrink the set (writes outpace the link).
 */
export function nextStep(o: { dirty: number; lastCopied: number; rounds: number; maxRounds: number; convergeBytes: number }): StopReason | 'continue' {
  if (o.dirty <= o.convergeBytes) return 'converged';
  if (o.rounds >= o.maxRounds) return 'max-rounds';
  if (o.dirty >= o.lastCopied) return 'stalled';
  return 'continue';
}
