import { getReprocessingJob, type ReprocessingJob } from "../api/reprocessing-jobs";

/** How often a running job's counts are read again. */
const POLL_MS = 1_500;

/** A Reprocess run followed until it ends: its latest counts, read every 1.5 seconds. */
export class ReprocessingProgress {
  job = $state<ReprocessingJob | null>(null);
  error = $state<unknown>(null);
  readonly running = $derived(!this.job || this.job.status === "RUNNING");
  readonly percent = $derived(
    this.job && this.job.total > 0 ? Math.round((100 * (this.job.reclassified + this.job.stillFailing + this.job.tooOld)) / this.job.total) : 0,
  );
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  readonly jobId: string;
  /** Told once when the job has ended, with its final counts. */
  readonly #onend: (job: ReprocessingJob) => void;

  constructor(jobId: string, onend: (job: ReprocessingJob) => void = () => {}) {
    this.jobId = jobId;
    this.#onend = onend;
  }

  start(): () => void {
    void this.#poll();
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #poll(): Promise<void> {
    try {
      this.job = await getReprocessingJob(this.jobId);
      this.error = null;
    } catch (err) {
      this.error = err;
    }
    if (this.#stopped) return;
    if (this.job && this.job.status !== "RUNNING") this.#onend(this.job);
    else this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
  }
}
