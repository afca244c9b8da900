// The log viewer: renders only the lines in view (a 1 GiB log has millions), fetched in blocks of lines from the
// API (`?fromLine=&lineCount=`) for a stored log, or kept from the event stream for a live one.
"use strict";

const LINE_HEIGHT = 18; // px, as in app.css (.row)
const MAX_SPACER = 8000000; // px: browsers cap element heights; longer logs scroll proportionally

// Lines of a stored log, fetched a block at a time and kept in a small cache.
class BlockSource {
  constructor(total, fetchBlock) {
    this.total = total;
    this.fetchBlock = fetchBlock; // (fromLine, count) => Promise<string[]>
    this.blocks = new Map();
    this.pending = new Map();
    this.size = 1000;
  }

  get(line) {
    const lines = this.blocks.get(Math.floor((line - 1) / this.size));
    return lines ? lines[(line - 1) % this.size] : undefined;
  }

  ensure(from, to, done) {
    for (let b = Math.floor((from - 1) / this.size); b <= Math.floor((to - 1) / this.size); b++) {
      if (this.blocks.has(b) || this.pending.has(b) || b * this.size >= this.total) continue;
      const request = this.fetchBlock(b * this.size + 1, this.size).then(lines => {
        this.pending.delete(b);
        this.blocks.set(b, lines);
        if (this.blocks.size > 40) this.blocks.delete(this.blocks.keys().next().value);
        done();
      }, error => {
        this.pending.delete(b);
        done(error);
      });
      this.pending.set(b, request);
    }
  }
}

// Lines of a log being written, as they arrive; `base` is the number of the first line kept.
class LiveSource {
  constructor() {
    this.base = 1;
    this.lines = [];
    this.max = 200000;
  }

  get total() {
    return this.lines.length === 0 ? this.base - 1 : this.base + this.lines.length - 1;
  }

  add(number, text) {
    if (this.lines.length === 0) this.base = number;
    this.lines.push(text);
    if (this.lines.length > this.max) {
      this.lines.splice(0, this.lines.length - this.max);
      this.base = number - this.lines.length + 1;
    }
  }

  get(line) {
    return line < this.base ? null : this.lines[line - this.base];
  }

  ensure() {
  }
}

class LogViewer {
  constructor(viewport, onError) {
    this.viewport = viewport;
    this.onError = onError;
    this.spacer = document.createElement("div");
    this.spacer.className = "spacer";
    this.rows = document.createElement("div");
    this.rows.className = "rows";
    viewport.append(this.spacer, this.rows);
    this.source = null;
    this.highlighted = 0;
    this.mark = "";
    this.scheduled = false;
    viewport.addEventListener("scroll", () => this.schedule());
    window.addEventListener("resize", () => this.schedule());
  }

  use(source) {
    this.source = source;
    this.refresh();
  }

  // The number of lines changed (a live log grew): resize the scroll area and render.
  refresh() {
    const total = this.source ? this.source.total : 0;
    this.spacer.style.height = Math.min(MAX_SPACER, Math.max(total, 1) * LINE_HEIGHT) + "px";
    this.schedule();
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  visibleCount() {
    return Math.max(1, Math.ceil(this.viewport.clientHeight / LINE_HEIGHT));
  }

  maxScroll() {
    return Math.max(0, this.spacer.offsetHeight - this.viewport.clientHeight);
  }

  // The first line shown for the current scroll position (proportional, so any length fits).
  firstLine() {
    const total = this.source ? this.source.total : 0;
    const span = Math.max(0, total - this.visibleCount() + 1);
    const max = this.maxScroll();
    return max === 0 ? 1 : 1 + Math.round((this.viewport.scrollTop / max) * span);
  }

  render() {
    if (!this.source) return;
    const total = this.source.total;
    const first = this.firstLine();
    const last = Math.min(total, first + this.visibleCount());
    this.source.ensure(first, last, error => (error ? this.onError(error) : this.schedule()));
    const html = [];
    for (let n = first; n <= last; n++) {
      const text = this.source.get(n);
      const cls = n === this.highlighted ? "row hl" : "row";
      const body = text === undefined ? '<span class="loading">…</span>'
        : text === null ? '<span class="loading">(earlier lines appear when the log is stored)</span>'
        : Ansi.toHtml(text, this.mark);
      html.push(`<div class="${cls}" id="L${n}" data-line="${n}"><a class="ln" href="#L${n}">${n}</a>` +
        `<span class="tx">${body}</span></div>`);
    }
    this.rows.style.transform = `translateY(${this.viewport.scrollTop}px)`;
    this.rows.innerHTML = html.join("");
    this.rendered = { first, last };
    if (this.reveal) {
      const row = document.getElementById("L" + this.reveal);
      if (row) {
        row.scrollIntoView({ block: "nearest" }); // the page scrolls, if the line is below the window
        this.reveal = 0;
      }
    }
  }

  scrollToLine(line) {
    const total = this.source ? this.source.total : 0;
    const span = Math.max(0, total - this.visibleCount() + 1);
    const first = Math.max(1, line - 3);
    this.viewport.scrollTop = span === 0 ? 0 : ((Math.min(first, span + 1) - 1) / span) * this.maxScroll();
    this.schedule();
  }

  highlight(line) {
    this.highlighted = line;
    this.reveal = line;
    this.schedule();
  }

  atEnd() {
    return this.viewport.scrollTop >= this.maxScroll() - 2;
  }

  toEnd() {
    this.viewport.scrollTop = this.maxScroll();
    this.schedule();
  }

  toTop() {
    this.viewport.scrollTop = 0;
    this.schedule();
  }

  setMark(text) {
    this.mark = (text || "").toLowerCase();
    this.schedule();
  }
}

// Reads an event stream of log lines with fetch (so that a bearer token can be sent), resuming after the last
// line received when the connection breaks. Calls onLine(number, text), then onEnd() or onError(message).
function followLog(url, headers, handlers) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;
  let failures = 0;

  async function connect() {
    const h = Object.assign({ Accept: "text/event-stream" }, headers);
    if (lastId !== null) h["Last-Event-ID"] = String(lastId);
    let response;
    try {
      response = await fetch(url, { headers: h, signal: controller.signal });
    } catch (e) {
      return retry(e.message);
    }
    if (!response.ok) {
      let message = response.statusText;
      try { message = (await response.json()).message || message; } catch (ignored) { /* not JSON */ }
      stopped = true;
      handlers.onError(message, response.status);
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (e) {
        return retry(e.message);
      }
      if (chunk.done) break;
      failures = 0;
      buffer += chunk.value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (dispatch(block)) return;
      }
      handlers.onBatch && handlers.onBatch();
    }
    if (!stopped) retry("the stream ended early");
  }

  // One event; true when the stream is over.
  function dispatch(block) {
    let event = "message";
    let id = null;
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (event === "end") {
      stopped = true;
      handlers.onBatch && handlers.onBatch();
      handlers.onEnd(JSON.parse(data.join("\n") || "{}"));
      return true;
    }
    if (event === "error") {
      stopped = true;
      handlers.onBatch && handlers.onBatch();
      handlers.onError(JSON.parse(data.join("\n") || "{}").message || "the log broke off");
      return true;
    }
    if (id !== null && data.length) {
      lastId = parseInt(id, 10);
      handlers.onLine(lastId, data.join("\n"));
    }
    return false;
  }

  function retry(reason) {
    if (stopped) return;
    if (++failures > 5) {
      stopped = true;
      handlers.onError("lost the live log: " + reason);
      return;
    }
    setTimeout(connect, 1000 * failures);
  }

  connect();
  return { stop() { stopped = true; controller.abort(); } };
}
