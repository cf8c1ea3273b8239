import { Presets, SingleBar } from 'cli-progress';

/**
 * Shows a running export's `X-Progress`: a progress bar on a terminal, plain lines (only when the value changes)
 * when the output goes to a file or a pipe, where a redrawn bar would be noise.
 */
export class ExportProgress {
  readonly #out: NodeJS.WriteStream;
  readonly #bar: SingleBar | undefined;
  #started = false;
  #last = '';

  constructor(out: NodeJS.WriteStream = process.stdout) {
    this.#out = out;
    this.#bar = out.isTTY
      ? new SingleBar(
          {
            stream: out,
            format: 'exporting [{bar}] {percentage}% | {value}/{total} resources',
            hideCursor: true,
          },
          Presets.shades_classic,
        )
      : undefined;
  }

  /** `progress` as the server sends it, e.g. "120/400 resources (30%)". */
  update(progress: string): void {
    const counts = progress.match(/^(\d+)\/(\d+)/);
    if (this.#bar && counts) {
      const [written, total] = [Number(counts[1]), Number(counts[2])];
      if (!this.#started) this.#bar.start(Math.max(total, written), written);
      else this.#bar.setTotal(Math.max(total, written));
      this.#bar.update(written);
      this.#started = true;
      return;
    }
    if (progress !== this.#last) this.#out.write(`progress: ${progress}\n`);
    this.#last = progress;
  }

  /** Ends the display; `complete` fills the bar first. */
  stop(complete: boolean): void {
    if (!this.#bar || !this.#started) return;
    if (complete) this.#bar.update(this.#bar.getTotal());
    this.#bar.stop();
    this.#started = false;
  }
}
