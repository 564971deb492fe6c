import type { InferResponseType } from "hono/client";
import { client } from "./client";

const notifications = client.api.notifications;

export type NotificationPage = InferResponseType<typeof notifications.$get, 200>;
export type Notification = NotificationPage["results"][number];

/** The latest notifications (or only unread ones) with the count of unread ones. */
export async function listNotifications(opts: { unread?: boolean; limit?: number } = {}): Promise<NotificationPage> {
  const res = await notifications.$get({ query: { limit: String(opts.limit ?? 20), ...(opts.unread ? { unread: "true" as const } : {}) } });
  return res.json();
}

export async function markNotificationRead(id: string): Promise<Notification> {
  const res = await notifications[":id"].read.$post({ param: { id } });
  return res.json();
}

export async function markAllNotificationsRead(): Promise<void> {
  await notifications["read-all"].$post();
}
