"""The benchmark's targets and its Markdown report."""

# What fills the document's path ids (bench/run.py real_ids).
IDS = {"group_id": "largest group", "activity_id": "activity 1", "word_id": "word 1",
       "session_id": "the newest session"}

# Targets, each on the large database.
GET_VS_BARE = 0.5
NOT_MODIFIED_VS_BARE = 0.8
POST_SESSION_VS_BARE = 0.45
POST_SESSION_P99_MS = 10
POST_REVIEW_VS_BARE = 0.2
LARGE_VS_SMALL = 0.8
MIXED_VS_BARE = 0.1


def fmt(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def row_verdict(kind, large, vs_bare, vs_small):
    """PASS, or MISS with the targets missed."""
    missed = []
    target = {"get": GET_VS_BARE, "variant": GET_VS_BARE, "not_modified": NOT_MODIFIED_VS_BARE,
              "post_session": POST_SESSION_VS_BARE, "post_review": POST_REVIEW_VS_BARE,
              "mixed": MIXED_VS_BARE}[kind]
    if vs_bare < target:
        missed.append(f"large/bare < {target}")
    if kind == "post_session" and (large["p99"] is None or large["p99"] >= POST_SESSION_P99_MS):
        missed.append(f"p99 >= {POST_SESSION_P99_MS} ms")
    if vs_small is not None and vs_small < LARGE_VS_SMALL:
        missed.append(f"large/small < {LARGE_VS_SMALL}")
    if large["non_2xx"]:
        missed.append("non-2xx")
    if large["socket_errors"]:
        missed.append("socket errors")
    return "PASS" if not missed else "MISS: " + ", ".join(missed)


HEADER = ["route", "small req/s", "large req/s", "large/bare", "large/small",
          "p50 ms", "p99 ms (large)", "non-2xx (large)", "targets"]


def table_row(label, kind, bare, small, large):
    vs_bare = large["rps"] / bare["rps"]
    vs_small = large["rps"] / small["rps"] if small else None
    non_2xx = fmt(large["non_2xx"])
    if large["socket_errors"]:
        non_2xx += f" (+{large['socket_errors']} socket errors)"
    cells = [label, fmt(small["rps"], 0) if small else "-", fmt(large["rps"], 0),
             fmt(vs_bare, 2), fmt(vs_small, 2), fmt(large["p50"], 2), fmt(large["p99"], 2),
             non_2xx, row_verdict(kind, large, vs_bare, vs_small)]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def table(rows):
    return ["| " + " | ".join(HEADER) + " |", "|---|" + "---:|" * (len(HEADER) - 2) + "---|",
            *rows]


def variant_summary(bare, small, large):
    """One line per list route: its sort variants' worst ratios and verdicts."""
    routes = {}
    for label, figures in large.items():
        if figures["kind"] == "variant":
            routes.setdefault(label.split("?")[0], []).append(label)
    lines = ["| route | variants | lowest large/bare | lowest large/small | slowest p99 ms | PASS |",
             "|---|---:|---:|---:|---:|---:|"]
    for route, labels in routes.items():
        vs_bare = [large[label]["rps"] / bare["rps"] for label in labels]
        vs_small = [large[label]["rps"] / small[label]["rps"] for label in labels if label in small]
        passed = sum(row_verdict("variant", large[label], large[label]["rps"] / bare["rps"],
                                 large[label]["rps"] / small[label]["rps"] if label in small
                                 else None) == "PASS" for label in labels)
        worst = min(labels, key=lambda label: large[label]["rps"])
        lines.append(f"| {route} | {len(labels)} | {min(vs_bare):.2f} | "
                     f"{min(vs_small) if vs_small else 0:.2f} | "
                     f"{max(large[label]['p99'] or 0 for label in labels):.2f} | "
                     f"{passed} of {len(labels)} (slowest: `{worst.split('?')[1]}`) |")
    return lines


def floor_table(bare, large, floor):
    """The data layer alone beside the API, for the same requests."""
    targets = {"get": f"{GET_VS_BARE}", "post_session":
               f"{POST_SESSION_VS_BARE}, p99 < {POST_SESSION_P99_MS} ms",
               "post_review": f"{POST_REVIEW_VS_BARE}"}
    lines = ["| request | target (of bare) | data layer alone: req/s, of bare, p99 ms | "
             "the API: req/s, of bare, p99 ms | the API / data layer alone |",
             "|---|---|---|---|---:|"]
    for label, alone in floor.items():
        api = large[label]
        figures = [f"{fmt(measured['rps'], 0)}, {measured['rps'] / bare['rps']:.2f}, "
                   f"{fmt(measured['p99'], 2)}" for measured in (alone, api)]
        lines.append(f"| {label} | {targets[alone['kind']]} | {figures[0]} | {figures[1]} | "
                     f"{api['rps'] / alone['rps']:.2f} |")
    return lines


def report(run, bare, small, large, mixed, floor, check, logs):
    """The Markdown report; returns (text, count of rows that missed a target)."""
    first, last = run["bare_runs"]
    ids = run["large_ids"]
    lines = [
        "# Lang Portal API benchmark",
        "",
        f"{run['date']} · {run['duration']} s per route, {run['variant_duration']} s per sort "
        f"variant and per 304 · {run['connections']} connections · gunicorn {run['workers']} "
        f"workers · nproc {run['nproc']} · code {run['code']}",
        "",
        f"Load average (1, 5, 15 min) at start: {run['load'][0]}, at end: {run['load'][1]}.",
        "",
        f"**Bare Flask app** (constant JSON, same gunicorn settings, measured first and last "
        f"in this run; the ratios use the mean): {fmt(bare['rps'], 0)} req/s, "
        f"p50 {fmt(bare['p50'], 2)} ms, p99 {fmt(bare['p99'], 2)} ms, "
        f"non-2xx {bare['non_2xx']} (first: {fmt(first['rps'], 0)} req/s, p50 "
        f"{fmt(first['p50'], 2)} ms, p99 {fmt(first['p99'], 2)} ms; last: "
        f"{fmt(last['rps'], 0)} req/s, p50 {fmt(last['p50'], 2)} ms, "
        f"p99 {fmt(last['p99'], 2)} ms).",
        "",
        f"Small database: the seed. Large database: the seed + {run['sizes']['words']:,} words "
        f"in {run['sizes']['groups']} groups, {run['sizes']['sessions']:,} sessions, "
        f"{run['sizes']['reviews']:,} reviews (built {run['built']}). "
        f"Routes and sort keys come from the API's OpenAPI document. Path ids: "
        + ", ".join(f"{{{name}}} = {IDS[name]} (large #{ids[name]}, small "
                    f"#{run['small_ids'][name]})" for name in IDS) + ". "
        "The frontend's alias paths run the same handlers as their /api twins and are "
        "measured once each, page 1 in their default order; every /api list is measured at "
        "every sort key, both orders, page 1 and its last page.",
        "",
        "**Routes**",
        "",
    ]
    rows = {}
    for label, figures in large.items():
        small_figures = small.get(label) if figures["kind"] != "not_modified" else None
        rows[label] = table_row(label, figures["kind"], bare, small_figures, figures)
    by_kind = {kind: [row for label, row in rows.items() if large[label]["kind"] == kind]
               for kind in ("get", "variant", "not_modified", "post_session", "post_review")}
    lines += table(by_kind["get"] + by_kind["post_session"] + by_kind["post_review"])
    lines += ["", "**The data layer alone** (bench/floor_app.py): the API's own functions for "
              "these requests, with the same SQL, connections and transactions, served by a bare "
              "Flask app without the API's HTTP layer (request validation; Host, CORS and ETag "
              "rules; error answers), on a fresh copy of the large database. The API cannot go "
              "past these figures without changing what its data layer does.", ""]
    lines += floor_table(bare, large, floor)
    lines += ["", "**Sort variants**, summary (every row is below):", ""]
    lines += variant_summary(bare, small, large)
    lines += ["", "**Conditional GET**: the same request with a current If-None-Match "
                  "(304 Not Modified), large database:", ""]
    lines += table(by_kind["not_modified"])
    lines += ["", f"**Mixed run** on the large database ({max(1, run['connections'] // 2)} "
                  "connections each, at the same time):", ""]
    mixed_rows = [table_row(label, "mixed", bare, None, {**figures, "kind": "mixed"})
                  for label, figures in mixed.items()]
    lines += table(mixed_rows)

    verdict = "OK" if check["ok"] else "MISMATCH"
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(check["statuses"].items()))
    all_rows = list(rows.values()) + mixed_rows
    missed = sum("MISS" in row for row in all_rows)
    lines += [
        "",
        f"**Exactness check** (8 threads x 100 POST /api/study-sessions, keep-alive): "
        f"sessions stored: {check['stored']}, 201s received: {check['received']} -> {verdict} "
        f"(rows in study_sessions: +{check['rows']}; statuses {statuses}; "
        f"non-2xx: {check['non_2xx']}; connection errors: {len(check['errors'])})",
        "",
        f"**Server logs**: 'database is locked': {logs['locked']} · tracebacks: "
        f"{logs['tracebacks']} · worker timeouts: {logs['timeouts']} (in {run['out']}/logs/)",
        "",
        f"Targets: {len(all_rows) - missed} of {len(all_rows)} rows PASS.",
        "",
        "**Every sort variant**",
        "",
    ]
    lines += table(by_kind["variant"])
    return "\n".join(lines) + "\n", missed
