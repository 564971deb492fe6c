import { listDataAudit, type DataAuditRow, type DataAuditStatus } from "../api/monitor";

/** The object reads of one source, newest first, filtered by status, a page at a time ("Load more"). */
export class DataAuditList {
  items = $state<DataAuditRow[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  loaded = $state(false);
  error = $state<unknown>(null);
  #sourceId: string;
  #status: DataAuditStatus | undefined;
  /** Answers for an older filter that arrive late are dropped. */
  #generation = 0;

  constructor(sourceId: string) {
    this.#sourceId = sourceId;
  }

  #query(cursor?: string) {
    return { sourceId: this.#sourceId, limit: "25", ...(this.#status ? { status: this.#status } : {}), ...(cursor ? { cursor } : {}) };
  }

  async load(status?: DataAuditStatus): Promise<void> {
    this.#status = status;
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await listDataAudit(this.#query());
      if (generation !== this.#generation) return;
      this.items = page.results;
      this.next = page.next;
      this.loaded = true;
    } catch (err) {
      if (generation === this.#generation) this.error = err;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.next || this.loading) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await listDataAudit(this.#query(this.next));
      if (generation !== this.#generation) return;
      this.items = [...this.items, ...page.results];
      this.next = page.next;
    } catch (err) {
      if (generation === this.#generation) this.error = err;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
