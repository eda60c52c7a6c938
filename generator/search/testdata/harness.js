// Runs search.js under node for the Go tests.
//   node harness.js SEARCH_JS SITE_DIR < request.json
// request: {"grams": [strings], "queries": [strings], "page": [strings],
// "today": "2026-10-15"}
// Prints {"grams": [[...]], "queries": [{"urls": [...], "ranks": [...],
// "fetched": [...]}], "page": [{"status": "...", "html": "...",
// "fetched": [...]}]}.
//   grams:   search.js's grams() of each string;
//   queries: the ranked result URLs and their ranks, through the pure
//            Index with files read from SITE_DIR/search/idx/;
//   page:    the whole script run against a small fake DOM at
//            /search/?q=QUERY, with fetch served from SITE_DIR and the
//            reader's clock at noon of today (when given); html is the
//            rendered <ol id="results"> as markup.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const scriptPath = process.argv[2];
const site = process.argv[3];
const req = JSON.parse(fs.readFileSync(0, 'utf8'));
const lib = require(path.resolve(scriptPath));
const idx = path.join(site, 'search', 'idx');

async function query(q) {
  const fetched = [];
  const index = new lib.Index(p => {
    fetched.push(p);
    return Promise.resolve(JSON.parse(fs.readFileSync(path.join(idx, p), 'utf8')));
  });
  const found = await index.search(q);
  const rows = found.length ? await index.docs(found.map(f => f.id)) : [];
  return { urls: rows.map(r => r[0]), ranks: found.map(f => f.rank), fetched };
}

// ---- a fake DOM: just what search.js touches ----
class Node {
  constructor(tag, text) {
    this.tagName = tag; this.children = []; this.attrs = {}; this.listeners = {};
    this.parentNode = null; this.text = text || ''; this.hidden = false;
  }
  appendChild(c) { c.parentNode = this; this.children.push(c); return c; }
  insertBefore(c, ref) {
    c.parentNode = this;
    const i = ref ? this.children.indexOf(ref) : -1;
    if (i < 0) this.children.push(c); else this.children.splice(i, 0, c);
    return c;
  }
  get nextSibling() {
    const s = this.parentNode.children; return s[s.indexOf(this) + 1] || null;
  }
  set textContent(t) { this.children = []; this.text = String(t); }
  get textContent() { return this.tagName === '#text' ? this.text : this.text + this.children.map(c => c.textContent).join(''); }
  set innerHTML(_) { throw new Error('innerHTML must not be used'); }
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; }
  setAttribute(n, v) { this.attrs[n] = String(v); }
  addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); }
  get outerHTML() {
    if (this.tagName === '#text') return this.text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    let a = this.href !== undefined ? ` href="${this.href}"` : '';
    if (this.className) a += ` class="${this.className}"`;
    for (const [k, v] of Object.entries(this.attrs)) if (k === 'datetime') a += ` ${k}="${v}"`;
    return `<${this.tagName}${a}>${this.text.replace(/</g, '&lt;')}${this.children.map(c => c.outerHTML).join('')}</${this.tagName}>`;
  }
}

async function page(q) {
  const fetched = [];
  const main = new Node('main');
  const form = main.appendChild(new Node('form'));
  form.attrs = { id: 'search', 'data-index': 'idx/', 'data-root': '../' };
  const input = form.appendChild(new Node('input'));
  input.value = '';
  form.elements = { namedItem: n => (n === 'q' ? input : null) };
  const status = main.appendChild(new Node('p'));
  const list = main.appendChild(new Node('ol'));
  const byId = { search: form, results: list, 'search-status': status };
  const document = {
    readyState: 'complete',
    getElementById: id => byId[id] || null,
    createElement: t => new Node(t),
    createTextNode: t => new Node('#text', t),
    addEventListener() {},
  };
  const location = { href: 'http://site.test/search/?q=' + encodeURIComponent(q) };
  const history = { replaceState(_, __, u) { location.href = String(u); } };
  const fetch = url => {
    const u = new URL(url);
    fetched.push(u.pathname);
    const f = path.join(site, decodeURIComponent(u.pathname));
    if (!fs.existsSync(f)) return Promise.resolve({ ok: false, status: 404, url: String(url) });
    const body = fs.readFileSync(f, 'utf8');
    return Promise.resolve({ ok: true, status: 200, url: String(url), json: () => Promise.resolve(JSON.parse(body)) });
  };
  const ctx = { document, location, history, fetch, URL, TextEncoder, setTimeout, clearTimeout, Promise, Date };
  if (req.today) {
    const noon = new Date(req.today + 'T12:00:00').getTime();
    ctx.Date = class extends Date { constructor(...a) { if (a.length) super(...a); else super(noon); } };
  }
  vm.runInNewContext(fs.readFileSync(scriptPath, 'utf8'), ctx);
  for (let i = 0; i < 50; i++) await new Promise(r => setTimeout(r, 0));
  const more = main.children.find(c => c.id === 'search-more');
  return { status: status.textContent, html: list.outerHTML, fetched, input: input.value,
    more: !!more && !more.hidden };
}

(async () => {
  const out = { grams: (req.grams || []).map(lib.grams), queries: [], page: [] };
  for (const q of req.queries || []) out.queries.push(await query(q));
  for (const q of req.page || []) out.page.push(await page(q));
  process.stdout.write(JSON.stringify(out));
})().catch(e => { process.stderr.write(String(e.stack || e)); process.exit(1); });
