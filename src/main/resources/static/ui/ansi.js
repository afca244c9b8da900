// ANSI colours and styles (SGR escape sequences) of a log line, as HTML. Other escape sequences are dropped.
// Each line starts unstyled: a viewer shows any window of a log, so no state is carried from earlier lines.
"use strict";

const Ansi = (() => {
  const BASIC = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];
  const ESCAPE = /\u001b\[([0-9;]*)([A-Za-z])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][A-Za-z0-9]|\u001b[=>]/g;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function colour256(n) {
    if (n < 16) {
      return null; // a class: basic or bright
    }
    if (n < 232) {
      const v = n - 16;
      const level = x => (x === 0 ? 0 : 55 + x * 40);
      return `rgb(${level(Math.floor(v / 36))},${level(Math.floor(v / 6) % 6)},${level(v % 6)})`;
    }
    const grey = 8 + (n - 232) * 10;
    return `rgb(${grey},${grey},${grey})`;
  }

  function apply(state, codes) {
    const c = codes.length ? codes : [0];
    for (let i = 0; i < c.length; i++) {
      const code = c[i];
      if (code === 0) {
        Object.assign(state, { fg: null, bg: null, fgRgb: null, bgRgb: null, bold: false, dim: false, italic: false, underline: false });
      } else if (code === 1) state.bold = true;
      else if (code === 2) state.dim = true;
      else if (code === 3) state.italic = true;
      else if (code === 4) state.underline = true;
      else if (code === 22) { state.bold = false; state.dim = false; }
      else if (code === 23) state.italic = false;
      else if (code === 24) state.underline = false;
      else if (code >= 30 && code <= 37) { state.fg = BASIC[code - 30]; state.fgRgb = null; }
      else if (code >= 90 && code <= 97) { state.fg = "bright-" + BASIC[code - 90]; state.fgRgb = null; }
      else if (code === 39) { state.fg = null; state.fgRgb = null; }
      else if (code >= 40 && code <= 47) { state.bg = BASIC[code - 40]; state.bgRgb = null; }
      else if (code >= 100 && code <= 107) { state.bg = "bright-" + BASIC[code - 100]; state.bgRgb = null; }
      else if (code === 49) { state.bg = null; state.bgRgb = null; }
      else if ((code === 38 || code === 48) && c[i + 1] === 5) {
        const n = c[i + 2] || 0;
        const rgb = colour256(n);
        const name = n < 8 ? BASIC[n] : n < 16 ? "bright-" + BASIC[n - 8] : null;
        if (code === 38) { state.fg = name; state.fgRgb = rgb; } else { state.bg = name; state.bgRgb = rgb; }
        i += 2;
      } else if ((code === 38 || code === 48) && c[i + 1] === 2) {
        const rgb = `rgb(${c[i + 2] || 0},${c[i + 3] || 0},${c[i + 4] || 0})`;
        if (code === 38) { state.fg = null; state.fgRgb = rgb; } else { state.bg = null; state.bgRgb = rgb; }
        i += 4;
      }
    }
  }

  function open(state) {
    const classes = [];
    const styles = [];
    if (state.fg) classes.push("fg-" + state.fg);
    if (state.bg) classes.push("bg-" + state.bg);
    if (state.fgRgb) styles.push("color:" + state.fgRgb);
    if (state.bgRgb) styles.push("background-color:" + state.bgRgb);
    if (state.bold) classes.push("ansi-bold");
    if (state.dim) classes.push("ansi-dim");
    if (state.italic) classes.push("ansi-italic");
    if (state.underline) classes.push("ansi-underline");
    if (!classes.length && !styles.length) return "";
    return `<span${classes.length ? ` class="${classes.join(" ")}"` : ""}${styles.length ? ` style="${styles.join(";")}"` : ""}>`;
  }

  // The line as HTML; `mark` (optional) is a lower-case text whose occurrences are highlighted.
  function toHtml(line, mark) {
    const state = {};
    const parts = [];
    let at = 0;
    let m;
    ESCAPE.lastIndex = 0;
    while ((m = ESCAPE.exec(line)) !== null) {
      parts.push({ text: line.slice(at, m.index), state: Object.assign({}, state) });
      if (m[2] === "m") {
        apply(state, m[1] === "" ? [] : m[1].split(";").map(x => parseInt(x, 10) || 0));
      }
      at = ESCAPE.lastIndex;
    }
    parts.push({ text: line.slice(at), state: Object.assign({}, state) });
    let html = "";
    for (const part of parts) {
      if (!part.text) continue;
      const span = open(part.state);
      html += span + highlight(part.text, mark) + (span ? "</span>" : "");
    }
    return html;
  }

  function highlight(text, mark) {
    if (!mark) return escapeHtml(text);
    const lower = text.toLowerCase();
    let out = "";
    let from = 0;
    let i;
    while ((i = lower.indexOf(mark, from)) !== -1) {
      out += escapeHtml(text.slice(from, i)) + "<mark>" + escapeHtml(text.slice(i, i + mark.length)) + "</mark>";
      from = i + mark.length;
    }
    return out + escapeHtml(text.slice(from));
  }

  // The line without escape sequences (what a search sees).
  function strip(line) {
    ESCAPE.lastIndex = 0;
    return line.replace(ESCAPE, "");
  }

  return { toHtml, strip, escapeHtml };
})();
