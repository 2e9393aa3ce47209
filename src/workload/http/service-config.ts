/** What the HTTP service process is told on its command line (JSON in argv[2]). */
export interface ServiceConfig {
  /** The data file on the mounted filesystem (preallocated, SLOT_BYTES per request id). */
  dataFile: string;
  /** Address and port to listen on, inside the process's network namespace. */
  host: string;
  port: number;
  /** Service epoch, stamped into every record and echoed in every response: 1 on A, 2 on B. */
  epoch: number;
}

/** The service entry point, relative to the compiled package. */
export const SERVICE_ENTRY = 'dist/src/workload/http/service-main.js';
