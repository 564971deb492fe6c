import { useCredentials, type ApiFailure } from "../api/client";
import { verifyToken } from "../api/auth";

const KEY = "pipewatch.token";

/** The signed-in API token, kept in localStorage; a 401 from any call signs out. */
export class Session {
  token = $state<string | null>(localStorage.getItem(KEY));
  /** Why the last session ended, shown on the sign-in page. */
  notice = $state<string | null>(null);
  readonly signedIn = $derived(this.token !== null);

  constructor() {
    useCredentials({
      token: () => this.token,
      onUnauthorized: (failure: ApiFailure) => {
        if (this.token) this.signOut(`Signed out: ${failure.message}`);
      },
    });
  }

  /** Verifies the token against the API before keeping it; throws the API's failure. */
  async signIn(token: string): Promise<void> {
    const trimmed = token.trim();
    await verifyToken(trimmed);
    localStorage.setItem(KEY, trimmed);
    this.notice = null;
    this.token = trimmed;
  }

  signOut(notice: string | null = null): void {
    localStorage.removeItem(KEY);
    this.token = null;
    this.notice = notice;
  }
}

export const session = new Session();
