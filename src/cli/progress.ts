/**
 * Progress on stderr: one line per step when stderr is not a terminal (CI logs), a
 * single rewritten status line when it is.
 */
export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private current = '';

  status(text: string): void {
    if (this.tty) {
      this.current = text;
      process.stderr.write(`\r\x1b[2K${text}`);
    } else process.stderr.write(`${text}\n`);
  }

  /** A line that stays (results, warnings). */
  line(text: string): void {
    if (this.tty && this.current) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${text}\n`);
    this.current = '';
  }
}
