/** D1 reports constraint failures only in the message text. */
export function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { cause?: unknown })?.cause ?? "") + String(err);
  return /UNIQUE constraint failed/i.test(text);
}
