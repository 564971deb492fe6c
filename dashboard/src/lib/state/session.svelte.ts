import { useCredentials, type ApiFailure } from "../api/client";
import { verifyToken } from "../api/auth";
import { getMe, type Me } from "../api/me";

const KEY = "pipewatch.token";

/** The signed-in API token, kept in localStorage; a 401 from any call signs out. */
export class Session {
  token = $state<string | null>(localStorage.getItem(KEY));
  /** Who the token belongs to; null until known. */
  me = $state<Me | null>(null);
  /** Why the last session ended, shown on the sign-in page. */
  notice = $state<string | null>(null);
  readonly signedIn = $derived(this.token !== null);
  /** Admins change configuration: sources, schemas, destinations, tokens. */
  readonly canAdmin = $derived(this.me?.role === "Admin");
  /** Admins and Analysts triage, resolve and reprocess alerts and re-send deliveries. */
  readonly canTriage = $derived(this.me?.role === "Admin" || this.me?.role === "Analyst");

  constructor() {
    useCredentials({
      token: () => this.token,
      onUnauthorized: (failure: ApiFailure) => {
        if (this.token) this.signOut(`Signed out: ${failure.message}`);
      },
    });
    if (this.token) void this.loadMe();
  }

  /** Verifies the token against the API before keeping it; throws the API's failure. */
  async signIn(token: string): Promise<void> {
    const trimmed = token.trim();
    await verifyToken(trimmed);
    localStorage.setItem(KEY, trimmed);
    this.notice = null;
    this.token = trimmed;
    await this.loadMe();
  }

  signOut(notice: string | null = null): void {
    localStorage.removeItem(KEY);
    this.token = null;
    this.me = null;
    this.notice = notice;
  }

  async loadMe(): Promise<void> {
    try {
      this.me = await getMe();
    } catch {
      // A failed lookup leaves actions hidden; a 401 has already signed out.
    }
  }
}

export const session = new Session();
