import type { UserFromGetMe } from "grammy/types";

/**
 * One getMe against the Bot API, sorted into what the operator must be told:
 * it works, the token is refused, the server is not a Bot API at all, or it
 * cannot be reached (yet). Pure of logging and retries: the caller decides.
 */
export type ProbeResult =
  | { kind: "ok"; me: UserFromGetMe }
  | { kind: "rejected"; detail: string }
  | { kind: "not-bot-api"; detail: string }
  | { kind: "unreachable"; detail: string };

type FetchLike = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return "no answer";
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

export async function probeBotApi(
  apiRoot: string,
  token: string,
  opts: { timeoutMs?: number; fetch?: FetchLike } = {},
): Promise<ProbeResult> {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  let res: Response;
  try {
    res = await doFetch(`${apiRoot}/bot${token}/getMe`, { signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
  } catch (err) {
    return { kind: "unreachable", detail: causeOf(err) };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    // A 5xx page from a proxy in front of a real Bot API is an outage, not a wrong address.
    if (res.status >= 500) return { kind: "unreachable", detail: `HTTP ${res.status}` };
    return {
      kind: "not-bot-api",
      detail: `HTTP ${res.status}, ${res.headers.get("content-type") ?? "no content type"}, not a Bot API answer`,
    };
  }
  const b = body as { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown };
  if (b.ok === true && b.result && typeof b.result === "object" && "is_bot" in b.result) {
    return { kind: "ok", me: b.result as UserFromGetMe };
  }
  if (b.ok === false && typeof b.error_code === "number") {
    if (b.error_code === 401 || b.error_code === 404)
      return { kind: "rejected", detail: `${b.error_code} ${String(b.description ?? "")}`.trim() };
    if (b.error_code >= 500 || b.error_code === 429)
      return { kind: "unreachable", detail: `${b.error_code} ${String(b.description ?? "")}`.trim() };
  }
  return { kind: "not-bot-api", detail: `HTTP ${res.status}, JSON that is not a Bot API answer` };
}
