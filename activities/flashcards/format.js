// Times as the page shows them.

// The interval between two ISO times as Anki writes it: 1m, 10m, 5h, 4d, 1.5mo, 2y.
export function intervalLabel(fromIso, toIso) {
  const seconds = (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
  if (seconds < 60) return "<1m";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(seconds / 3600);
  if (hours < 24) return `${hours}h`;
  const days = Math.round(seconds / 86400);
  if (days < 30) return `${days}d`;
  if (days < 365) return `${oneDecimal(days / 30)}mo`;
  return `${oneDecimal(days / 365)}y`;
}

function oneDecimal(value) {
  return value.toFixed(1).replace(/\.0$/, "");
}

// A duration in milliseconds: "45 s", "3 min 20 s", "1 h 5 min".
export function duration(ms) {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours) return `${hours} h ${minutes} min`;
  if (minutes) return `${minutes} min ${rest} s`;
  return `${rest} s`;
}

// A moment in the learner's own time zone, and how far ahead it is.
export function moment(iso, now = new Date()) {
  if (!iso) return "none scheduled";
  const date = new Date(iso);
  const shown = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return date > now ? `${shown} (in ${intervalLabel(now.toISOString(), iso)})` : shown;
}
