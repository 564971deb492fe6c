export interface Toast {
  id: number;
  message: string;
  tone: "ok" | "bad";
}

const SHOW_MS = 4000;

/** Short confirmations ("Copied", "Source paused") shown in a corner for a few seconds. */
export class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(message: string, tone: Toast["tone"] = "ok"): void {
    const id = this.#next++;
    this.items.push({ id, message, tone });
    setTimeout(() => this.dismiss(id), SHOW_MS);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
