// The Osiris web UI: the builds list (the URL holds the filter) and a build's page with its log.
// Talks to the REST API only; a bearer token, when the deployment needs one, is kept in this tab's sessionStorage.
"use strict";

const API = "api/v1";
const PAGE_SIZE = 50;
const RUNNING = ["New", "Pending", "Running"];
const main = document.getElementById("main");
const params = new URLSearchParams(location.search);

// --- access -------------------------------------------------------------------------------------------------

function token() {
  return sessionStorage.getItem("osiris-token") || "";
}

function authHeaders() {
  return token() ? { Authorization: "Bearer " + token() } : {};
}

function setupToken() {
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  document.getElementById("token-button").textContent = token() ? "Token ✓" : "Token";
  document.getElementById("token-button").addEventListener("click", () => {
    form.hidden = !form.hidden;
    if (!form.hidden) input.focus();
  });
  form.addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem("osiris-token", input.value.trim());
    location.reload();
  });
  document.getElementById("token-clear").addEventListener("click", () => {
    sessionStorage.removeItem("osiris-token");
    location.reload();
  });
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, accept) {
  const response = await fetch(API + path, { headers: Object.assign({ Accept: accept || "application/json" }, authHeaders()) });
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).message || message; } catch (ignored) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  return response;
}

function notice(message, kind) {
  const box = document.getElementById("notice");
  box.textContent = message;
  box.className = "notice " + (kind || "error");
  box.hidden = !message;
}

function explain(error, what) {
  if (error.status === 401) {
    document.getElementById("token-form").hidden = false;
    return `Osiris needs a bearer token to show ${what}: enter one above. (${error.message})`;
  }
  if (error.status === 403) return `You may not see ${what}: ${error.message}`;
  return `Could not load ${what}: ${error.message}`;
}

// --- formatting ---------------------------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function badge(phase) {
  return el("span", { class: "badge phase-" + (phase || "unknown").toLowerCase() }, phase || "?");
}

function bytes(n) {
  if (n === undefined || n === null) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + " " + units[i];
}

function when(text) {
  return text ? new Date(text).toLocaleString() : "";
}

function duration(build) {
  if (!build.startTimestamp) return "";
  const end = build.completionTimestamp ? new Date(build.completionTimestamp) : (RUNNING.includes(build.phase) ? new Date() : null);
  if (!end) return "";
  let s = Math.max(0, Math.round((end - new Date(build.startTimestamp)) / 1000));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
}

function buildPath(ns, name) {
  return `/namespaces/${encodeURIComponent(ns)}/builds/${encodeURIComponent(name)}`;
}

function buildLink(build) {
  const q = new URLSearchParams({ ns: build.namespace, build: build.name });
  if (build.uid) q.set("uid", build.uid);
  if (build.cluster) q.set("cluster", build.cluster);
  return "?" + q.toString();
}

// --- builds list --------------------------------------------------------------------------------------------

const FILTERS = ["cluster", "ns", "phase", "label", "name", "since", "until"];

function rfc3339(local) {
  const date = new Date(local);
  return isNaN(date) ? local : date.toISOString();
}

async function showList() {
  document.title = "Builds · Osiris";
  const phases = ["", "New", "Pending", "Running", "Complete", "Failed", "Error", "Cancelled"];
  const form = el("form", { class: "filters", method: "get", action: "./", id: "filters" },
    el("label", {}, "Cluster", el("input", { name: "cluster", list: "clusters", value: params.get("cluster") || "", placeholder: "all" })),
    el("datalist", { id: "clusters" }),
    el("label", {}, "Namespace", el("input", { name: "ns", list: "namespaces", value: params.get("ns") || "", placeholder: "all" })),
    el("datalist", { id: "namespaces" }),
    el("label", {}, "Phase", el("select", { name: "phase" },
      phases.map(p => el("option", { value: p, selected: (params.get("phase") || "") === p ? "" : null }, p || "any")))),
    el("label", {}, "Label", el("input", { name: "label", value: params.get("label") || "", placeholder: "key=value" })),
    el("label", {}, "Name starts with", el("input", { name: "name", value: params.get("name") || "" })),
    el("label", {}, "Started after", el("input", { name: "since", type: "datetime-local", value: params.get("since") || "" })),
    el("label", {}, "Started before", el("input", { name: "until", type: "datetime-local", value: params.get("until") || "" })),
    el("button", { type: "submit" }, "Filter"),
    el("a", { href: "./", class: "reset" }, "Clear"));
  form.addEventListener("submit", () => {
    // empty fields stay out of the URL
    for (const input of form.querySelectorAll("input, select")) input.disabled = !input.value;
  });
  const table = el("table", { class: "builds", id: "builds" },
    el("thead", {}, el("tr", {}, ["Build", "Cluster", "Namespace", "Phase", "Started", "Duration", "Log", "Lines"].map(h => el("th", {}, h)))),
    el("tbody"));
  const pager = el("nav", { class: "pager" });
  main.replaceChildren(el("h1", {}, "Builds"), searchForm(), form, table, pager);

  const query = new URLSearchParams({ limit: String(PAGE_SIZE), order: "newest" });
  if (params.get("cluster")) query.set("cluster", params.get("cluster"));
  if (params.get("phase")) query.set("phase", params.get("phase"));
  if (params.get("label")) query.set("label", params.get("label"));
  if (params.get("name")) query.set("namePrefix", params.get("name"));
  if (params.get("since")) query.set("since", rfc3339(params.get("since")));
  if (params.get("until")) query.set("until", rfc3339(params.get("until")));
  if (params.get("continue")) query.set("continue", params.get("continue"));
  const ns = params.get("ns");
  const path = (ns ? `/namespaces/${encodeURIComponent(ns)}/builds` : "/builds") + "?" + query;
  let page;
  try {
    page = await (await api(path)).json();
  } catch (error) {
    notice(explain(error, ns ? `the builds of ${ns}` : "the builds of every namespace")
      + (error.status === 403 && !ns ? " Choose a namespace you may read." : ""));
    return;
  }
  const body = table.querySelector("tbody");
  if (!page.items.length) {
    body.append(el("tr", {}, el("td", { colspan: "8", class: "empty" }, "No builds match.")));
  }
  const namespaces = new Set();
  const clusters = new Set();
  for (const build of page.items) {
    namespaces.add(build.namespace);
    clusters.add(build.cluster);
    const log = build.log || {};
    body.append(el("tr", { class: "build" },
      el("td", {}, el("a", { href: buildLink(build), class: "build-link" }, build.name)),
      el("td", { class: "cluster" }, build.cluster),
      el("td", {}, build.namespace),
      el("td", {}, badge(build.phase)),
      el("td", {}, when(build.startTimestamp)),
      el("td", {}, duration(build)),
      el("td", {}, build.log ? bytes(log.size) + (log.pending ? " (pending)" : "") + (log.incomplete ? " (incomplete)" : "") : "none"),
      el("td", {}, build.log ? log.lines : "")));
  }
  const list = document.getElementById("namespaces");
  for (const n of namespaces) list.append(el("option", { value: n }));
  const clusterList = document.getElementById("clusters");
  for (const c of clusters) clusterList.append(el("option", { value: c }));
  if (params.get("continue")) {
    const first = new URLSearchParams(params);
    first.delete("continue");
    pager.append(el("a", { href: "?" + first, id: "first-page" }, "« First page"));
  }
  if (page.continue) {
    const next = new URLSearchParams(params);
    next.set("continue", page.continue);
    pager.append(el("a", { href: "?" + next, id: "next-page" }, "Next page »"));
  }
}

// --- search across logs -------------------------------------------------------------------------------------

/** The search box: searches the logs of the builds the list's filters select (they travel along in the URL). */
function searchForm() {
  const form = el("form", { class: "log-search", method: "get", action: "./", id: "log-search" },
    el("label", {}, "Search in logs", el("input", { name: "search", id: "search-logs", value: params.get("search") || "",
      placeholder: "text, e.g. OutOfMemoryError", required: "" })),
    el("label", { class: "inline" }, el("input", { type: "checkbox", name: "regex", value: "true", id: "search-regex",
      checked: params.get("regex") === "true" ? "" : null }), "regular expression"),
    el("button", { type: "submit", id: "search-button" }, "Search"));
  for (const name of FILTERS) {
    if (params.get(name) && name !== "name") form.append(el("input", { type: "hidden", name, value: params.get(name) }));
  }
  return form;
}

async function showSearch() {
  const text = params.get("search");
  document.title = `Search “${text}” · Osiris`;
  const results = el("ol", { class: "search-results", id: "search-results" });
  const status = el("p", { class: "search-status", id: "search-status" }, "Searching…");
  const back = new URLSearchParams(params);
  back.delete("search");
  back.delete("regex");
  main.replaceChildren(el("h1", {}, "Search in logs"), searchForm(), status, results,
    el("p", {}, el("a", { href: "?" + back, id: "back-to-builds" }, "« Builds")));

  const query = new URLSearchParams({ q: text, matches: "3", limit: "200" });
  if (params.get("regex") === "true") query.set("regex", "true");
  if (params.get("ns")) query.set("namespace", params.get("ns"));
  if (params.get("cluster")) query.set("cluster", params.get("cluster"));
  if (params.get("phase")) query.set("phase", params.get("phase"));
  if (params.get("label")) query.set("label", params.get("label"));
  if (params.get("since")) query.set("since", rfc3339(params.get("since")));
  if (params.get("until")) query.set("until", rfc3339(params.get("until")));
  let response;
  try {
    response = await api("/search?" + query, "application/x-ndjson");
  } catch (error) {
    status.textContent = "";
    notice(explain(error, params.get("ns") ? `the logs of ${params.get("ns")}` : "the logs of every namespace")
      + (error.status === 403 && !params.get("ns") ? " Choose a namespace you may read." : ""));
    return;
  }
  // results arrive as JSON lines while the search runs: each is shown as soon as it is complete
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let found = 0;
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value || new Uint8Array(), { stream: !done });
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      const item = JSON.parse(line);
      if (item.summary) {
        status.textContent = summaryText(item.summary, found);
        status.className = "search-status " + (item.summary.partial ? "partial" : "done");
      } else {
        found++;
        results.append(searchResult(item));
        status.textContent = `Searching… ${found} build${found === 1 ? "" : "s"} found so far`;
      }
    }
    if (done) break;
  }
}

function searchResult(hit) {
  const link = buildLink(hit);
  const lines = el("ul", { class: "search-lines" }, hit.matches.map(m =>
    el("li", {}, el("a", { href: link + "#L" + m.line, class: "line-link" }, "line " + m.line), " ",
      el("code", {}, m.text))));
  const more = hit.count > hit.matches.length ? ` (${hit.count} matching lines)` : "";
  return el("li", { class: "search-hit" },
    el("a", { href: link, class: "build-link" }, hit.name), " ", el("span", { class: "ns" }, hit.cluster + " · " + hit.namespace), " ",
    badge(hit.phase), " ", el("span", { class: "when" }, when(hit.startTimestamp) + more), lines);
}

function summaryText(summary, found) {
  const scanned = `${summary.builds} log${summary.builds === 1 ? "" : "s"} (${bytes(summary.bytes)}) searched in `
    + `${(summary.millis / 1000).toFixed(1)} s`;
  const result = found ? `${found} build${found === 1 ? "" : "s"} found` : "No build's log matches";
  const partial = summary.partial ? `; stopped early (${summary.stoppedBy}): narrow the filters to search further` : "";
  return `${result}. ${scanned}${partial}.`;
}

// --- one build ----------------------------------------------------------------------------------------------

async function showBuild() {
  const ns = params.get("ns");
  const name = params.get("build");
  // which record: its uid (a re-created build) and its cluster, passed on to every request about it
  const which = new URLSearchParams();
  if (params.get("uid")) which.set("uid", params.get("uid"));
  if (params.get("cluster")) which.set("cluster", params.get("cluster"));
  const uidQuery = which.toString();
  const path = buildPath(ns, name);
  document.title = `${ns}/${name} · Osiris`;
  let build;
  try {
    build = await (await api(path + (uidQuery ? "?" + uidQuery : ""))).json();
  } catch (error) {
    main.replaceChildren(el("p", {}, el("a", { href: "?ns=" + encodeURIComponent(ns || "") }, "« Builds")));
    notice(explain(error, `build ${ns}/${name}`));
    return;
  }
  const logInfo = build.log || {};
  const meta = el("dl", { class: "meta", id: "meta" });
  const add = (term, value) => {
    if (value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && !value.length)) meta.append(el("dt", {}, term), el("dd", {}, value));
  };
  add("Phase", badge(build.phase));
  add("Cluster", build.cluster);
  add("Namespace", build.namespace);
  add("UID", build.uid);
  add("Started", when(build.startTimestamp));
  add("Completed", when(build.completionTimestamp));
  add("Duration", duration(build));
  add("Message", build.message);
  add("Labels", Object.entries(build.labels || {}).map(([k, v]) => el("span", { class: "label" }, `${k}=${v}`)));
  add("Log size", build.log ? `${bytes(logInfo.size)} (${bytes(logInfo.storedSize)} stored, ${logInfo.encoding})` : "no log yet");
  add("Lines", build.log ? logInfo.lines : null);
  add("SHA-256", logInfo.sha256 ? el("code", {}, logInfo.sha256) : null);
  add("Stored", when(logInfo.storedAt));
  if (logInfo.pending) add("State", el("span", { class: "mark" }, "pending: received, waiting for storage"));
  if (logInfo.incomplete) add("State", el("span", { class: "mark" }, "incomplete: the start of the log may be missing"));
  add("Masked", Object.entries(logInfo.masked || {}).map(([rule, n]) => el("span", { class: "label masked" }, `${rule} ×${n}`)));
  if (build.legalHold) add("Legal hold", `${build.legalHold.reason} (since ${when(build.legalHold.since)}, by ${build.legalHold.by})`);

  const logPath = path + "/log" + (uidQuery ? "?" + uidQuery : "");
  const downloads = el("div", { class: "downloads" },
    download("Download raw", logPath, `${name}.log`, "text/plain"),
    download("Download gzip", logPath, `${name}.log.gz`, "gzip"));
  const log = logSection(build, logPath, uidQuery);
  main.replaceChildren(
    el("p", { class: "crumbs" }, el("a", { href: "?ns=" + encodeURIComponent(ns), id: "back" }, "« Builds of " + ns)),
    el("h1", {}, name, " ", badge(build.phase)), meta, build.log ? downloads : "", log.section);
  log.start(); // in the page now: the viewer can measure itself
}

// A download link; with a token the log is fetched with it and handed over as a file.
function download(label, logPath, filename, kind) {
  const link = el("a", { class: "button", href: API + logPath, download: filename }, label);
  if (kind === "gzip") link.dataset.gzip = "true";
  link.addEventListener("click", async event => {
    if (!token() && kind !== "gzip") return; // a plain link does it
    event.preventDefault();
    const response = await fetch(API + logPath, { headers: Object.assign({ "Accept-Encoding": "gzip" }, authHeaders()) });
    if (!response.ok) { notice("Download failed: " + response.statusText); return; }
    let blob = await response.blob();
    if (kind === "gzip") {
      // the browser decompresses what it receives: compress again for a .gz file
      blob = await new Response(blob.stream().pipeThrough(new CompressionStream("gzip"))).blob();
    }
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  return link;
}

function logSection(build, logPath, uidQuery) {
  const search = el("input", { id: "search", type: "search", placeholder: "Find in log", autocomplete: "off" });
  const count = el("span", { id: "match-count", class: "count" });
  const prev = el("button", { type: "button", id: "prev-match", title: "Previous match" }, "↑");
  const next = el("button", { type: "button", id: "next-match", title: "Next match" }, "↓");
  const wrap = el("input", { type: "checkbox", id: "wrap" });
  const follow = el("input", { type: "checkbox", id: "follow", checked: "" });
  const followLabel = el("label", { class: "toggle", id: "follow-toggle", hidden: "" }, follow, " Follow");
  const status = el("span", { id: "log-status", class: "status" });
  const toolbar = el("form", { class: "toolbar", id: "log-toolbar" },
    search, el("button", { type: "submit", id: "find" }, "Find"), prev, next, count,
    el("label", { class: "toggle" }, wrap, " Wrap"), followLabel,
    el("button", { type: "button", id: "to-top" }, "Top"), el("button", { type: "button", id: "to-end" }, "End"), status);
  const viewport = el("div", { class: "viewport", id: "log", tabindex: "0" });
  const section = el("section", { class: "log" }, toolbar, viewport);

  const viewer = new LogViewer(viewport, error => notice("Could not read the log: " + error.message));
  let matches = [];
  let current = -1;
  let live = null;

  wrap.addEventListener("change", () => viewport.classList.toggle("wrap", wrap.checked));
  toolbar.querySelector("#to-top").addEventListener("click", () => { follow.checked = false; viewer.toTop(); });
  toolbar.querySelector("#to-end").addEventListener("click", () => viewer.toEnd());
  viewport.addEventListener("wheel", () => { if (!viewer.atEnd()) follow.checked = false; }, { passive: true });

  const goTo = index => {
    if (!matches.length) return;
    current = (index + matches.length) % matches.length;
    count.textContent = `${current + 1} / ${countText}`;
    follow.checked = false;
    location.replace("#L" + matches[current]);
  };
  let countText = "";
  prev.addEventListener("click", () => goTo(current - 1));
  next.addEventListener("click", () => goTo(current + 1));
  toolbar.addEventListener("submit", async event => {
    event.preventDefault();
    const q = search.value;
    viewer.setMark(q);
    matches = [];
    current = -1;
    if (!q) { count.textContent = ""; return; }
    count.textContent = "searching…";
    if (live) {
      // a log being written: its lines are here
      const lower = q.toLowerCase();
      for (let n = live.base; n <= live.total; n++) {
        if (Ansi.strip(live.get(n) || "").toLowerCase().includes(lower)) matches.push(n);
      }
      countText = String(matches.length);
    } else {
      try {
        const query = new URLSearchParams({ q, limit: "10000" });
        const result = await (await api(logPath.split("?")[0] + "/matches?" + query + (uidQuery ? "&" + uidQuery : ""))).json();
        matches = result.matches.map(m => m.line);
        countText = result.count + (result.partial ? "+ (search stopped early)" : "");
      } catch (error) {
        count.textContent = "";
        notice(explain(error, "the search"));
        return;
      }
    }
    if (!matches.length) { count.textContent = "no matches"; return; }
    goTo(0);
  });

  const showHash = () => {
    const m = /^#L(\d+)$/.exec(location.hash);
    if (m) {
      const line = parseInt(m[1], 10);
      viewer.highlight(line);
      viewer.scrollToLine(line);
    }
  };
  window.addEventListener("hashchange", showHash);

  const stored = total => {
    followLabel.hidden = true;
    live = null;
    status.textContent = "";
    viewer.use(new BlockSource(total, async (from, n) => {
      const text = await (await api(`${logPath}${logPath.includes("?") ? "&" : "?"}fromLine=${from}&lineCount=${n}`, "text/plain")).text();
      const lines = text.split("\n");
      if (text.endsWith("\n")) lines.pop();
      return lines;
    }));
    showHash();
  };

  const startLive = () => {
    followLabel.hidden = false;
    status.textContent = "live";
    status.className = "status live";
    live = new LiveSource();
    viewer.use(live);
    const sep = logPath.includes("?") ? "&" : "?";
    followLog(API + logPath + sep + "follow=true&tailLines=5000", authHeaders(), {
      onLine: (n, text) => live.add(n, text),
      onBatch: () => {
        viewer.refresh();
        if (follow.checked) viewer.toEnd();
      },
      onEnd: async () => {
        // complete: nothing more will come; the page shows what is stored from now on
        followLabel.hidden = true;
        status.textContent = "complete";
        status.className = "status";
        const atEnd = follow.checked;
        try {
          // the stream ends as the last byte is spooled; the record names the stored log a moment later
          for (let attempt = 0; attempt < 20; attempt++) {
            const fresh = await (await api(logPath.replace("/log", ""))).json();
            document.querySelector("h1 .badge").replaceWith(badge(fresh.phase));
            if (fresh.log) {
              stored(fresh.log.lines);
              if (atEnd) viewer.toEnd();
              status.textContent = "complete";
              return;
            }
            await new Promise(resolve => setTimeout(resolve, 500));
          }
        } catch (error) {
          notice(explain(error, "the stored log"));
        }
      },
      onError: (message, httpStatus) => {
        status.textContent = httpStatus === 404 ? "no log yet" : "stopped";
        status.className = "status";
        if (httpStatus !== 404) notice("The live log stopped: " + message);
      },
    });
  };

  const start = () => {
    if (RUNNING.includes(build.phase)) {
      startLive();
    } else if (build.log) {
      stored(build.log.lines);
    } else {
      status.textContent = "no log";
    }
  };
  return { section, start };
}

// --- start --------------------------------------------------------------------------------------------------

setupToken();
if (params.get("build") && params.get("ns")) {
  showBuild();
} else if (params.get("search")) {
  showSearch();
} else {
  showList();
}
