// What the page shows. Text is always set as text, never as HTML.
const $ = (id) => document.getElementById(id);

const card = $("card");
const actions = document.querySelector(".actions");
const revealButton = $("reveal");
const rateButtons = [...document.querySelectorAll(".rate")];

export function bind({ reveal, rate, again }) {
  card.addEventListener("click", reveal);
  revealButton.addEventListener("click", reveal);
  for (const button of rateButtons) {
    button.addEventListener("click", () => rate(Number(button.dataset.rating)));
  }
  $("again-button").addEventListener("click", again);
}

export function status(text) {
  $("status").textContent = text;
}

// What changed on the card, for screen readers (the card shows it already).
export function announce(text) {
  $("announce").textContent = text;
}

// An error stays until dismissed.
export function error(text) {
  const box = document.createElement("div");
  box.className = "error";
  const message = document.createElement("p");
  message.textContent = text;
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.textContent = "Dismiss";
  dismiss.addEventListener("click", () => box.remove());
  box.append(message, dismiss);
  $("errors").append(box);
}

export function group(name) {
  $("group").textContent = name;
  document.title = `${name} · Flashcards`;
}

export function counts({ due, new: fresh }) {
  $("count-due").textContent = String(due);
  $("count-new").textContent = String(fresh);
}

export function done(count) {
  $("count-done").textContent = String(count);
}

export function showGroups(groups, choose) {
  const list = $("group-list");
  list.replaceChildren(...groups.map((group) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `${group.name} (${group.words_count} words)`;
    button.addEventListener("click", () => {
      $("picker").hidden = true;
      choose(group);
    });
    item.append(button);
    return item;
  }));
  $("picker").hidden = false;
  list.querySelector("button")?.focus();
}

export function showCard(word, labels) {
  $("summary").hidden = true;
  $("front").textContent = word.kanji;
  $("romaji").textContent = word.romaji;
  $("parts").replaceChildren(...word.parts.map((part) => {
    const span = document.createElement("span");
    const kanji = document.createElement("span");
    kanji.lang = "ja";
    kanji.textContent = part.kanji;
    span.append(kanji, ` ${part.romaji.join("·")}`);
    return span;
  }));
  $("english").textContent = word.english;
  for (const button of rateButtons) {
    button.querySelector(".interval").textContent = labels[button.dataset.name];
  }
  card.classList.remove("revealed");
  actions.classList.remove("revealed");
  $("study").hidden = false;
  revealButton.focus();
}

export function reveal() {
  card.classList.add("revealed");
  actions.classList.add("revealed");
  rateButtons[2].focus(); // Good: Enter accepts it, as in Anki
}

export function hideCard() {
  $("study").hidden = true;
}

export function showSummary(figures) {
  for (const [name, text] of Object.entries(figures)) $(`sum-${name}`).textContent = text;
  $("summary").hidden = false;
  $("summary").focus();
}
