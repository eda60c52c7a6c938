// gongkai search: queries the static index under search/idx/ (built by
// package gongkai/generator/search) and lists the matching records.
//
// The page must hold, inside <main>:
//   <form id="search" role="search" action="./" method="get" data-index="idx/" data-root="../">
//     <label for="q">…</label> <input id="q" name="q" type="search"> <button type="submit">…</button>
//   </form>
//   <p id="search-status" aria-live="polite"></p>
//   <ol id="results"></ol>
// data-index: the index folder relative to the page (default "idx/");
// data-root: the site root relative to the page (default "../");
// data-suffix: appended to result links (optional, "index.html" offline).
// The script reads ?q= on load, searches as the reader types, keeps the
// address in step (history.replaceState) and adds a "more" button after
// the list. Each result shows its title, whether it is on notice on the
// reader's date, its section, category, number and date (2026年6月18日)
// and the line of its snippet that holds the query, with the query's
// words in <mark>. Index data is only ever put into the page as text
// nodes.
(function () {
  'use strict';

  // The same list as tokenize.go: characters that neither make a unit nor
  // break a chain (brackets of document numbers, joiners of dates).
  var TRANSPARENT = '〔〕【】〖〗[]()《》〈〉「」『』<>-./:_\'·・+';
  var LETTER = /[\p{L}\p{N}]/u;
  var ALNUM = /[A-Za-z0-9]/;
  var MAX_GRAMS = 6;
  var PAGE = 10;
  // The synonym table of synonyms.go as [from, to] pairs: the index finds a
  // record holding from by to. Filled in by search.Script().
  var REWRITES = /*REWRITES*/[];
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var RANKS = 4;

  // units splits text as tokenize.go does: a unit is a run of ASCII
  // letters and digits (lower-cased) or one other letter or number. Each
  // unit has its chain and its place [s, e) in text.
  function units(text) {
    var out = [], chain = 0, run = '', rs = 0, re = 0;
    function flush() {
      if (run) { out.push({ u: run, s: rs, e: re, c: chain, a: true }); run = ''; }
    }
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i), len = cp > 0xffff ? 2 : 1;
      var ch = text.slice(i, i + len);
      var n = cp < 0x80 || (cp >= 0x4e00 && cp <= 0x9fff) ? ch : ch.normalize('NFKC');
      for (var c of n) {
        if (ALNUM.test(c)) {
          if (!run) rs = i;
          run += c.toLowerCase();
          re = i + len;
        } else if (TRANSPARENT.indexOf(c) >= 0) {
          flush();
        } else if (c.codePointAt(0) >= 0x80 && LETTER.test(c)) {
          flush();
          out.push({ u: c, s: i, e: i + len, c: chain, a: false });
        } else {
          flush();
          chain++;
        }
      }
      i += len;
    }
    flush();
    return out;
  }

  function bigram(u, v) { return u.u + (u.a && v.a ? ' ' : '') + v.u; }

  // grams returns what a query must match: the bigrams of each chain of
  // two units or more, the unit of a chain of one; at most MAX_GRAMS.
  function grams(q) {
    var us = units(q), out = [], seen = {};
    function add(k) { if (!seen[k]) { seen[k] = true; out.push(k); } }
    for (var i = 0; i < us.length;) {
      var j = i + 1;
      while (j < us.length && us[j].c === us[i].c) j++;
      if (j === i + 1) add(us[i].u);
      for (var k = i; k + 1 < j; k++) add(bigram(us[k], us[k + 1]));
      i = j;
    }
    if (out.length > MAX_GRAMS) {
      var picked = [];
      for (var p = 0; p < MAX_GRAMS; p++) picked.push(out[Math.floor(p * (out.length - 1) / (MAX_GRAMS - 1))]);
      out = picked;
    }
    return out;
  }

  function fnv1a(s) {
    var b = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  }

  function shardOf(g, n) { return (fnv1a(g) & (n - 1)) >>> 0; }

  // gramPath names the shard of gram g in the index of manifest m: s/ for
  // pairs and ASCII words, c/ for single other characters.
  function gramPath(g, m) {
    var char = g.length <= 2 && g.codePointAt(0) >= 0x80 && String.fromCodePoint(g.codePointAt(0)) === g;
    var n = char ? m.chars : m.shards, w = (n - 1).toString(16).length, h = shardOf(g, n).toString(16);
    while (h.length < w) h = '0' + h;
    return (char ? 'c/' : 's/') + h + '.json';
  }

  // postings decodes a gram's postings (see search.go) into entries
  // id * 4 + rank, ascending.
  function postings(s) {
    var out = [], id = -1, v = 0, mul = 1;
    for (var i = 0; s && i < s.length; i++) {
      var d = DIGITS.indexOf(s.charAt(i));
      if (d < 0) break;
      if (d >= 32) { v += (d - 32) * mul; mul *= 32; continue; }
      v += d * mul;
      id += Math.floor(v / RANKS) + 1;
      out.push(id * 4 + v % RANKS);
      v = 0; mul = 1;
    }
    return out;
  }

  // intersect keeps the ids in both lists, each with the worse rank.
  function intersect(a, b) {
    var out = [];
    for (var i = 0, j = 0; i < a.length && j < b.length;) {
      var x = Math.floor(a[i] / 4), y = Math.floor(b[j] / 4);
      if (x < y) i++;
      else if (x > y) j++;
      else { out.push(Math.max(a[i], b[j])); i++; j++; }
    }
    return out;
  }

  // Index reads the files of one index through load(path) → Promise of
  // parsed JSON, path relative to the index folder.
  function Index(load) {
    this.load = load;
    this.files = {};
    this.meta = null;
  }
  Index.prototype.get = function (p) {
    if (!this.files[p]) {
      var self = this;
      this.files[p] = this.load(p).catch(function (e) { delete self.files[p]; throw e; });
    }
    return this.files[p];
  };
  // search resolves to the matches of q as {id, rank}: a match in the
  // title or number (rank 0) first, then in the section, category or other
  // fields (1), then anywhere (2), a synonym one rank below its word;
  // newest first within a rank (ids are places by date).
  Index.prototype.search = function (q) {
    var self = this, gs = grams(q);
    if (!gs.length) return Promise.resolve([]);
    return this.get('meta.json').then(function (m) {
      self.meta = m;
      return Promise.all(gs.map(function (g) { return self.get(gramPath(g, m)); }));
    }).then(function (shards) {
      var found = null;
      for (var i = 0; i < gs.length; i++) {
        var e = postings(Object.prototype.hasOwnProperty.call(shards[i], gs[i]) ? shards[i][gs[i]] : '');
        found = found ? intersect(found, e) : e;
      }
      found.sort(function (a, b) { return a % 4 - b % 4 || a - b; });
      return found.map(function (e) { return { id: Math.floor(e / 4), rank: e % 4 }; });
    });
  };
  // docs resolves to the metadata rows [url, title, section, date, number,
  // category, notice, snippet] of the given ids.
  Index.prototype.docs = function (ids) {
    var self = this, k = this.meta.chunk;
    return Promise.all(ids.map(function (id) {
      return self.get('d/' + Math.floor(id / k) + '.json').then(function (rows) { return rows[id % k]; });
    }));
  };

  // marks returns the ranges [s, e) of text to mark for q: where the
  // query's grams are, and where text holds a word that the synonym table
  // finds by a word of q (居民公约 for 村规民约).
  function marks(text, q) {
    var want = {}, gs = grams(q), us = units(text), out = [];
    for (var i = 0; i < gs.length; i++) want[gs[i]] = true;
    for (var j = 0; j < us.length; j++) {
      if (want[us[j].u]) out.push([us[j].s, us[j].e]);
      var v = us[j + 1];
      if (v && v.c === us[j].c && want[bigram(us[j], v)]) out.push([us[j].s, v.e]);
    }
    for (var r = 0; r < REWRITES.length; r++) {
      var from = REWRITES[r][0];
      if (q.indexOf(REWRITES[r][1]) < 0) continue;
      for (var at = text.indexOf(from); at >= 0; at = text.indexOf(from, at + from.length)) out.push([at, at + from.length]);
    }
    out.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    for (var m = 0; m < out.length; m++) {
      var last = merged[merged.length - 1];
      if (last && out[m][0] <= last[1]) last[1] = Math.max(last[1], out[m][1]);
      else merged.push(out[m].slice());
    }
    return merged;
  }

  // passage picks the line of a snippet where q marks the most text, or
  // the first line when q marks none.
  function passage(snippet, q) {
    var lines = (snippet || '').split('\n'), best = 0, most = 0;
    for (var i = 0; i < lines.length; i++) {
      var ms = marks(lines[i], q), n = 0;
      for (var j = 0; j < ms.length; j++) n += ms[j][1] - ms[j][0];
      if (n > most) { most = n; best = i; }
    }
    return lines[best];
  }

  // written writes an ISO date as the site does: 2026年6月18日.
  function written(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? +m[1] + '年' + +m[2] + '月' + +m[3] + '日' : iso || '';
  }

  // isoDay writes a Date's local calendar day as 2026-06-18.
  function isoDay(d) {
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate());
  }

  // onNotice reports whether a notice "from/to" runs on day (ISO).
  function onNotice(notice, day) {
    var p = (notice || '').split('/');
    return p.length === 2 && p[0] <= day && day <= p[1];
  }

  var api = { units: units, grams: grams, fnv1a: fnv1a, gramPath: gramPath, postings: postings,
    marks: marks, passage: passage, written: written, isoDay: isoDay, onNotice: onNotice, Index: Index };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
    return;
  }

  // ---- the page ----

  function highlight(el, text, q) {
    var at = 0, ms = marks(text, q);
    for (var i = 0; i < ms.length; i++) {
      if (ms[i][0] > at) el.appendChild(document.createTextNode(text.slice(at, ms[i][0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(ms[i][0], ms[i][1]);
      el.appendChild(mark);
      at = ms[i][1];
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  // result makes the list item of row d for query q, on day (ISO).
  function result(d, q, href, day) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = href;
    highlight(a, d[1], q);
    li.appendChild(a);
    var meta = document.createElement('p');
    meta.className = 'meta';
    var parts = 0;
    function sep() { if (parts++) meta.appendChild(document.createTextNode(' · ')); }
    if (onNotice(d[6], day)) {
      var badge = document.createElement('span');
      badge.className = 'badge on';
      badge.textContent = '公示中';
      meta.appendChild(badge);
      meta.appendChild(document.createTextNode(' '));
    }
    var facts = [d[2], d[5], d[4]];
    for (var i = 0; i < facts.length; i++) {
      if (facts[i] && (i !== 1 || facts[1] !== facts[0])) { sep(); highlight(meta, facts[i], q); }
    }
    if (d[3]) {
      sep();
      var time = document.createElement('time');
      time.setAttribute('datetime', d[3]);
      highlight(time, written(d[3]), q);
      meta.appendChild(time);
    }
    if (onNotice(d[6], day)) { sep(); meta.appendChild(document.createTextNode('公示至' + written(d[6].split('/')[1]))); }
    li.appendChild(meta);
    var text = passage(d[7], q);
    if (text) {
      var p = document.createElement('p');
      highlight(p, text, q);
      li.appendChild(p);
    }
    return li;
  }

  function start() {
    var form = document.getElementById('search');
    var list = document.getElementById('results');
    if (!form || !list) return;
    var input = form.elements.namedItem('q');
    var status = document.getElementById('search-status');
    var root = form.getAttribute('data-root') || '../';
    var suffix = form.getAttribute('data-suffix') || '';
    var base = new URL(form.getAttribute('data-index') || 'idx/', location.href);
    var version = '';
    var index = new Index(function (p) {
      var url = new URL(p, base);
      if (p === 'meta.json') {
        return fetch(url, { cache: 'no-cache' }).then(check).then(function (m) { version = m.v || ''; return m; });
      }
      if (version) url.search = 'v=' + encodeURIComponent(version);
      return fetch(url).then(check);
    });
    var more = document.createElement('button');
    more.type = 'button';
    more.id = 'search-more';
    more.className = 'more';
    more.textContent = '显示更多';
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    var seq = 0, ids = [], shown = 0, current = '', timer = 0;

    function check(r) {
      if (!r.ok) throw new Error(r.status + ' ' + r.url);
      return r.json();
    }
    function say(text) { if (status) status.textContent = text; }

    function show() {
      var mine = seq, batch = ids.slice(shown, shown + PAGE), day = isoDay(new Date());
      more.hidden = true;
      return index.docs(batch).then(function (rows) {
        if (mine !== seq) return;
        for (var i = 0; i < rows.length; i++) {
          if (rows[i]) list.appendChild(result(rows[i], current, root + rows[i][0] + suffix, day));
        }
        shown += batch.length;
        more.hidden = shown >= ids.length;
      });
    }

    function run(q) {
      var mine = ++seq;
      current = q;
      ids = [];
      shown = 0;
      more.hidden = true;
      if (!q.trim()) {
        list.textContent = '';
        say('');
        return Promise.resolve();
      }
      say('正在搜索…');
      return index.search(q).then(function (found) {
        if (mine !== seq) return;
        ids = found.map(function (f) { return f.id; });
        list.textContent = '';
        say(found.length ? '找到 ' + found.length + ' 条记录' : '没有找到“' + q.trim() + '”的记录');
        return show();
      }).catch(function () {
        if (mine === seq) say('搜索索引无法加载，请稍后再试');
      });
    }

    function remember(q) {
      var url = new URL(location.href);
      if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
      history.replaceState(null, '', url);
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(timer);
      remember(input.value);
      run(input.value);
    });
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { remember(input.value); run(input.value); }, 250);
    });
    more.addEventListener('click', function () { show(); });

    var q = new URL(location.href).searchParams.get('q') || '';
    if (q) {
      input.value = q;
      run(q);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
