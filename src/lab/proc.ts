/** Process identity moved to the Host seam (it records what it starts); re-exported for existing imports. */
export { isSameProcess, isZombie, processStartTime } from '../host/proc.js';
