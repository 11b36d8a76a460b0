// Flashcards: studies a group's study queue, one card at a time.
// Launched as ?group_id=G&session_id=S (as the portal's launch page opens
// it); without session_id it starts its own session, without group_id it
// asks for a group first.
import { ApiError, newUuid, persist } from "./api.js";
import { duration, intervalLabel, moment } from "./format.js";
import { Outbox, pendingAnswers } from "./outbox.js";
import * as view from "./view.js";

const BATCH = 50; // words asked of the queue at a time
const LONGEST_CARD_TIME = 5 * 60 * 1000; // a card left open longer counts as this
const RATINGS = ["again", "hard", "good", "easy"];

const state = {
  groupId: null,
  sessionId: null,
  cards: [], // the words of the last queue fetched, not yet answered
  queue: null, // the last queue's answer
  card: null, // the word shown
  revealed: false,
  shownAt: 0,
  counts: { due: 0, new: 0 },
  unsaved: false, // told the learner that answers wait to be saved
};

const outbox = new Outbox({
  stored: () => {
    if (state.unsaved && !pendingAnswers().length) {
      state.unsaved = false;
      view.status("All answers saved");
    }
  },
  rejected: (answer, message) => view.error(`Your answer to ${answer.kanji} was not saved: ${message}`),
  waiting: (count, reason, ms) => {
    state.unsaved = true;
    view.status(`${count} ${count === 1 ? "answer" : "answers"} not saved yet: ${reason}. ` +
      `Trying again in ${Math.ceil(ms / 1000)} s.`);
  },
});

function waiting(what) {
  return (reason, ms) => view.status(`Could not ${what}: ${reason}. Trying again in ${Math.ceil(ms / 1000)} s.`);
}

// This session's own figures, kept beside the outbox so that a reload keeps them.
function statsKey() {
  return `flashcards.session.${state.sessionId}`;
}

function loadStats() {
  try {
    return { answers: 0, again: 0, spent: 0, ...JSON.parse(localStorage.getItem(statsKey())) };
  } catch {
    return { answers: 0, again: 0, spent: 0 };
  }
}

function saveStats(stats) {
  localStorage.setItem(statsKey(), JSON.stringify(stats));
}

function positiveId(text) {
  return /^[0-9]{1,15}$/.test(text || "") && Number(text) > 0 ? Number(text) : null;
}

function setParam(name, value) {
  const url = new URL(location.href);
  url.searchParams.set(name, String(value));
  history.replaceState(null, "", url);
}

async function start() {
  outbox.send(); // whatever an earlier visit left
  addEventListener("online", () => outbox.send());
  const params = new URLSearchParams(location.search);
  state.groupId = positiveId(params.get("group_id"));
  state.sessionId = positiveId(params.get("session_id"));
  if (state.groupId === null) {
    await pickGroup();
    return;
  }
  await openSession();
}

async function pickGroup() {
  view.status("Choose a group");
  const groups = [];
  for (let page = 1, pages = 1; page <= pages; page += 1) {
    const answer = await persist("GET", `/api/groups?per_page=100&page=${page}`, undefined, waiting("load the groups"));
    groups.push(...answer.items);
    pages = answer.total_pages;
  }
  view.showGroups(groups, (group) => {
    state.groupId = group.id;
    setParam("group_id", group.id);
    openSession().catch(fail);
  });
}

async function openSession() {
  let session;
  if (state.sessionId === null) {
    session = await persist("POST", "/api/study-sessions",
      { group_id: state.groupId, study_activity_id: await ownActivityId() }, waiting("start a session"));
    state.sessionId = session.id;
    setParam("session_id", session.id);
  } else {
    session = (await persist("GET", `/api/study-sessions/${state.sessionId}?per_page=1`, undefined,
      waiting("load the session"))).session;
    if (session.group_id !== state.groupId) {
      throw new ApiError(400, `session ${state.sessionId} studies group ${session.group_id}, not group ${state.groupId}`);
    }
  }
  view.group(session.group_name);
  view.done(loadStats().answers);
  await nextCards();
}

// The study activity whose launch_url is this page.
async function ownActivityId() {
  const activities = await persist("GET", "/api/study-activities", undefined, waiting("load the activities"));
  const own = activities.find((activity) => new URL(activity.launch_url, location.href).pathname === location.pathname);
  if (!own) throw new ApiError(404, "Flashcards is not registered as a study activity on this server");
  return own.id;
}

// Asks the queue again once every answer given is stored, so that it
// reflects them all.
async function nextCards() {
  view.hideCard();
  if (outbox.size) view.status("Saving your answers…");
  await outbox.drained();
  view.status("Loading cards…");
  state.queue = await persist("GET", `/api/study-queue?group_id=${state.groupId}&limit=${BATCH}`, undefined,
    waiting("load the cards"));
  state.cards = [...state.queue.words];
  state.counts = { due: state.queue.due_count, new: state.queue.new_count };
  view.counts(state.counts);
  if (state.cards.length) showCard();
  else await showSummary();
}

function showCard() {
  state.card = state.cards.shift();
  state.revealed = false;
  state.shownAt = Date.now();
  const next = state.card.next_due;
  const labels = Object.fromEntries(RATINGS.map((name) => [name, intervalLabel(next.rated_at, next[name])]));
  view.showCard(state.card, labels);
  if (!state.unsaved) view.status("");
  view.announce(`${state.card.reason === "new" ? "New word" : "Review"}: ${state.card.kanji}`);
}

function reveal() {
  if (!state.card || state.revealed) return;
  state.revealed = true;
  view.reveal();
  view.announce(`${state.card.romaji}: ${state.card.english}`);
}

function rate(rating) {
  if (!state.card || !state.revealed) return;
  const card = state.card;
  state.card = null;
  outbox.add({
    session_id: state.sessionId,
    word_id: card.id,
    kanji: card.kanji, // for a message; not sent
    correct: rating > 1,
    rating,
    reviewed_at: new Date().toISOString(),
    review_id: newUuid(),
  });
  const stats = loadStats();
  stats.answers += 1;
  stats.again += rating === 1 ? 1 : 0;
  stats.spent += Math.min(Date.now() - state.shownAt, LONGEST_CARD_TIME);
  saveStats(stats);
  state.counts[card.reason] = Math.max(0, state.counts[card.reason] - 1);
  view.counts(state.counts);
  view.done(stats.answers);
  if (state.cards.length) showCard();
  else nextCards().catch(fail);
}

async function showSummary() {
  const stats = loadStats();
  view.status("");
  const forecast = await persist("GET", "/api/dashboard/forecast?days=2", undefined, waiting("load the forecast"));
  view.showSummary({
    answers: String(stats.answers),
    again: String(stats.again),
    time: duration(stats.spent),
    next: moment(state.queue.next_due_at),
    tomorrow: `${forecast[1].due} ${forecast[1].due === 1 ? "word" : "words"}`,
  });
  view.announce(`Nothing left to study now. ${stats.answers} answers, ${stats.again} again.`);
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || !state.card) return;
  const onOtherButton = event.target instanceof HTMLButtonElement && !event.target.closest(".actions");
  if (!state.revealed && (event.key === " " || event.key === "Enter") && !onOtherButton) {
    event.preventDefault();
    if (!event.repeat) reveal();
  } else if (state.revealed && /^[1-4]$/.test(event.key)) {
    event.preventDefault();
    if (!event.repeat) rate(Number(event.key));
  }
}

function fail(error) {
  view.hideCard();
  view.status("Stopped");
  view.error(error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
}

view.bind({ reveal, rate, again: () => nextCards().catch(fail) });
addEventListener("keydown", onKey);
start().catch(fail);
