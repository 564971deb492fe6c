import { listAlerts, type AlertQuery, type AlertSummary } from "../api/alerts";

/** One alert list as filtered: its pages so far and whether there are more ("Load more"). */
export class AlertList {
  items = $state<AlertSummary[]>([]);
  next = $state<string | null>(null);
  loading = $state(false);
  error = $state<unknown>(null);
  loaded = $state(false);
  #query: Omit<AlertQuery, "cursor"> | null = null;
  /** Answers of an older query that arrive late are dropped. */
  #generation = 0;

  async load(query: Omit<AlertQuery, "cursor">): Promise<void> {
    this.#query = query;
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await listAlerts(query);
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
    if (!this.#query || !this.next || this.loading) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await listAlerts({ ...this.#query, cursor: this.next });
      if (generation !== this.#generation) return;
      this.items = [...this.items, ...page.results];
      this.next = page.next;
    } catch (err) {
      this.error = err;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
