/**
 * A scriptable HTTP receiver for outbound deliveries, used as the injected fetch: it records
 * every request and answers from a script per URL (statuses, headers, bodies, delays, network
 * errors), then 200 once the script is used up.
 */

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  json: any;
  at: number;
}

export interface Scripted {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answers this much later (or never, when the attempt's signal aborts first). */
  delayMs?: number;
  /** Fails like an unreachable host. */
  networkError?: string;
}

function wait(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

export class Receiver {
  readonly requests: RecordedRequest[] = [];
  private scripts = new Map<string, Scripted[]>();

  /** Queues answers for requests whose URL starts with `prefix`. */
  script(prefix: string, ...answers: Scripted[]): this {
    this.scripts.set(prefix, [...(this.scripts.get(prefix) ?? []), ...answers]);
    return this;
  }

  /** Requests sent to URLs that start with `prefix`. */
  to(prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.startsWith(prefix));
  }

  private next(url: string): Scripted {
    const prefix = [...this.scripts.keys()].filter((p) => url.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    return (prefix && this.scripts.get(prefix)?.shift()) || { status: 200, body: "ok" };
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(body);
    } catch {
      // not JSON
    }
    this.requests.push({ url: request.url, method: request.method, headers: Object.fromEntries(request.headers), body, json, at: Date.now() });
    const answer = this.next(request.url);
    if (answer.delayMs) await wait(answer.delayMs, init?.signal);
    if (answer.networkError) throw new TypeError(answer.networkError);
    return new Response(answer.body ?? "", { status: answer.status ?? 200, headers: answer.headers });
  };
}
