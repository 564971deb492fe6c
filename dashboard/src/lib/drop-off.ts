export type Period = "Minutes" | "Hours" | "Days";
export const PERIODS: readonly Period[] = ["Minutes", "Hours", "Days"];
const MINUTES: Record<Period, number> = { Minutes: 1, Hours: 60, Days: 1440 };

export function toMinutes(amount: number, period: Period): number {
  return Math.round(amount * MINUTES[period]);
}

/** The largest period that expresses a threshold exactly: 1440 → 1 Days, 90 → 90 Minutes. */
export function fromMinutes(minutes: number): { amount: number; period: Period } {
  if (minutes % MINUTES.Days === 0) return { amount: minutes / MINUTES.Days, period: "Days" };
  if (minutes % MINUTES.Hours === 0) return { amount: minutes / MINUTES.Hours, period: "Hours" };
  return { amount: minutes, period: "Minutes" };
}

/** What the wizards' drop-off step edits, whichever kind of source the draft is for. */
export interface DropOffDraft {
  dropOffEnabled: boolean;
  dropOffAmount: number;
  dropOffPeriod: Period;
  readonly minutesThreshold: number;
  readonly errors: Record<string, string>;
}
