// Answers not yet stored by the API. Each is kept in localStorage from the
// moment it is given until the API has stored it, and sent in the order
// given, one at a time, with its review_id: a retry of an answer the API
// already has is answered 200 as a duplicate and stored once.
import { errorText, retryable, send } from "./api.js";

const KEY = "flashcards.outbox";
const FIRST_DELAY = 250;
const LONGEST_DELAY = 5000;

export function pendingAnswers() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY));
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function save(list) {
  localStorage.setItem(KEY, JSON.stringify(list));
}

// Read afresh each time: another tab of Flashcards may have sent some.
function remove(reviewId) {
  save(pendingAnswers().filter((answer) => answer.review_id !== reviewId));
}

export function reviewPath(answer) {
  return `/api/study-sessions/${answer.session_id}/words/${answer.word_id}/review`;
}

// listener: {stored(answer), rejected(answer, message), waiting(count, reason, ms)}
export class Outbox {
  constructor(listener) {
    this.listener = listener;
    this.running = false;
    this.wake = null;
    this.delay = FIRST_DELAY;
    this.emptied = []; // resolve functions of drained()
  }

  add(answer) {
    save([...pendingAnswers(), answer]);
    this.send();
  }

  get size() {
    return pendingAnswers().length;
  }

  // Resolves once nothing is pending (another tab may send some too, so it
  // is asked again after each answer stored or refused).
  drained() {
    if (!this.size) return Promise.resolve();
    this.send();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  tellIfEmpty() {
    if (this.size) return;
    for (const resolve of this.emptied.splice(0)) resolve();
  }

  // Sends what is pending; while it runs, wakes it from a wait.
  send() {
    if (this.running) {
      if (this.wake) this.wake();
      return;
    }
    this.running = true;
    this.run().finally(() => {
      this.running = false;
    });
  }

  async run() {
    for (let answer = pendingAnswers()[0]; answer; answer = pendingAnswers()[0]) {
      const outcome = await this.post(answer);
      if (outcome.stored) {
        remove(answer.review_id);
        this.delay = FIRST_DELAY;
        this.listener.stored(answer);
        this.tellIfEmpty();
      } else if (outcome.rejected) {
        // Shown first, then dropped: retrying cannot store it.
        this.listener.rejected(answer, outcome.rejected);
        remove(answer.review_id);
        this.tellIfEmpty();
      } else {
        const ms = outcome.retryAfter !== null ? outcome.retryAfter * 1000 : this.delay;
        this.listener.waiting(pendingAnswers().length, outcome.reason, ms);
        await this.pause(ms);
        this.delay = Math.min(this.delay * 2, LONGEST_DELAY);
      }
    }
  }

  async post(answer) {
    const { correct, rating, reviewed_at, review_id } = answer;
    let result;
    try {
      result = await send("POST", reviewPath(answer), { correct, rating, reviewed_at, review_id });
    } catch {
      return { reason: "the server does not answer", retryAfter: null };
    }
    // 201: stored now; 200: stored before (a retry of an answer the API has).
    if (result.status === 200 || result.status === 201) return { stored: true };
    if (retryable(result.status)) return { reason: errorText(result), retryAfter: result.retryAfter };
    return { rejected: `${result.status}: ${errorText(result)}` };
  }

  pause(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = null;
    });
  }
}
