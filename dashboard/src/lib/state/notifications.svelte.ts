import { listNotifications, markAllNotificationsRead, markNotificationRead, type Notification } from "../api/notifications";

/** How often the bell asks for new notifications. */
const POLL_MS = 15_000;

/**
 * In-app notifications, shared by the bell and the overview: the latest ones and the unread
 * count, refreshed every 15 seconds while the page is visible.
 */
export class NotificationCenter {
  items = $state<Notification[]>([]);
  unreadCount = $state(0);
  loaded = $state(false);
  error = $state<unknown>(null);
  #timer: ReturnType<typeof setInterval> | undefined;
  #refreshing = false;

  /** Starts polling; returns the function that stops it (for an effect's cleanup). */
  start(intervalMs = POLL_MS): () => void {
    void this.refresh();
    const tick = () => {
      if (document.visibilityState !== "hidden") void this.refresh();
    };
    this.#timer = setInterval(tick, intervalMs);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(this.#timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }

  async refresh(): Promise<void> {
    if (this.#refreshing) return;
    this.#refreshing = true;
    try {
      const page = await listNotifications({ limit: 20 });
      this.items = page.results;
      this.unreadCount = page.unreadCount;
      this.error = null;
    } catch (err) {
      this.error = err;
    } finally {
      this.#refreshing = false;
      this.loaded = true;
    }
  }

  async markRead(notification: Notification): Promise<void> {
    if (notification.readAt) return;
    const updated = await markNotificationRead(notification.id);
    this.items = this.items.map((n) => (n.id === updated.id ? updated : n));
    this.unreadCount = Math.max(0, this.unreadCount - 1);
  }

  async markAllRead(): Promise<void> {
    await markAllNotificationsRead();
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (n.readAt ? n : { ...n, readAt: now }));
    this.unreadCount = 0;
  }
}

export const notifications = new NotificationCenter();
