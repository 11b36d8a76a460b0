// Calls to the Lang Portal API, on this page's own origin (no CORS).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// A status that trying again may fix: a timeout, too many requests, or the
// server failing (a 503 while it restarts or while another write holds the
// database). Every other 4xx says the request itself is wrong.
export function retryable(status) {
  return status === 408 || status === 429 || status >= 500;
}

// {status, data, retryAfter} of a request; throws a TypeError when no answer
// came at all (no network, the server down).
export async function send(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null; // a proxy's HTML page, or a body cut short
  }
  return { status: response.status, data, retryAfter: seconds(response.headers.get("Retry-After")) };
}

export function errorText(answer) {
  return (answer.data && answer.data.error) || `the server answered ${answer.status}`;
}

function seconds(header) {
  const value = Number(header);
  return header !== null && Number.isFinite(value) && value >= 0 ? value : null;
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// GET or POST until an answer that retrying cannot change: the data of a 2xx,
// or an ApiError for any other 4xx. onWait(message, ms) is told of each wait.
export async function persist(method, path, body, onWait) {
  let delay = 500;
  for (;;) {
    let answer = null;
    try {
      answer = await send(method, path, body);
    } catch {
      answer = null;
    }
    if (answer && answer.status >= 200 && answer.status < 300) return answer.data;
    if (answer && !retryable(answer.status)) throw new ApiError(answer.status, errorText(answer));
    const ms = answer && answer.retryAfter !== null ? answer.retryAfter * 1000 : delay;
    onWait(answer ? errorText(answer) : "the server does not answer", ms);
    await wait(ms);
    delay = Math.min(delay * 2, 5000);
  }
}

// A version 4 UUID. crypto.randomUUID() exists only in secure contexts, and
// the portal may be served over plain http under a LAN name.
export function newUuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
