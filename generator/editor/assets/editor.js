// The script of gongkai's browser editor: it reads a record's form into
// the model the server writes, checks it while the clerk types, saves it,
// takes rows pasted from a spreadsheet, and runs the new-record and
// publish forms. Everything it puts on the page goes in as text; the
// body's preview is the site's own HTML with anything active removed.
(function () {
  "use strict";

  var token = (document.querySelector('meta[name="gongkai-token"]') || {}).content || "";

  function post(url, body, isForm) {
    var headers = { "X-Gongkai-Token": token };
    if (!isForm) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin" }).then(function (r) {
      return r.text().then(function (t) {
        var data = {};
        try { data = JSON.parse(t); } catch (e) { data = { error: t }; }
        return { status: r.status, data: data };
      });
    });
  }

  function say(el, text) {
    if (el) { el.textContent = text; }
  }

  // ---- the record form --------------------------------------------------

  var form = document.getElementById("record");
  if (form) { recordForm(form); }

  function fieldID(path) {
    return "f-" + path.replace(/[^A-Za-z0-9_]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function join(prefix, key) { return prefix ? prefix + "." + key : key; }

  function recordForm(form) {
    var root = form.querySelector(".fields");
    var rawArea = document.getElementById("f-raw");
    var body = document.getElementById("f-body");
    var status = document.getElementById("status");
    var summary = document.getElementById("summary");
    var preview = document.getElementById("preview");
    var changed = false; // since the last save
    var timer = null;
    var inflight = null;

    // The fields of scope itself: controls, groups and tables of rows
    // whose nearest container is scope.
    function children(scope) {
      var out = [];
      scope.querySelectorAll("[data-key],[data-group],[data-rows]").forEach(function (el) {
        var owner = el.parentElement.closest("[data-group],[data-rows],[data-row],.fields");
        if (owner === scope) { out.push(el); }
      });
      return out;
    }

    function rowsOf(fs) {
      return Array.prototype.filter.call(fs.querySelectorAll("tr[data-row]"), function (tr) {
        return tr.closest("[data-rows]") === fs;
      });
    }

    function splitList(s) {
      return s.split(/[、,，;；\n]+/).map(function (x) { return x.trim(); }).filter(function (x) { return x !== ""; });
    }

    function read(el) {
      if (!el.dataset.dirty && el.dataset.orig !== undefined) {
        return JSON.parse(el.dataset.orig);
      }
      switch (el.dataset.kind) {
        case "bool": return el.checked;
        case "list": return splitList(el.value);
        case "files": return Array.prototype.map.call(el.querySelectorAll("input[type=checkbox]:checked"), function (c) { return c.value; });
      }
      return el.value;
    }

    function collect(scope) {
      var m = {};
      children(scope).forEach(function (el) {
        if (el.dataset.group !== undefined) {
          m[el.dataset.group] = collect(el);
        } else if (el.dataset.rows !== undefined) {
          m[el.dataset.rows] = rowsOf(el).map(function (tr) {
            var r = collect(tr);
            if (tr.dataset.i !== undefined) { r._i = Number(tr.dataset.i); }
            return r;
          });
        } else {
          m[el.dataset.key] = read(el);
        }
      });
      return m;
    }

    function isEmpty(v) {
      if (v === null || v === undefined || v === false) { return true; }
      if (typeof v === "string") { return v.trim() === ""; }
      if (Array.isArray(v)) { return v.every(isEmpty); }
      if (typeof v === "object") {
        return Object.keys(v).every(function (k) { return k === "_i" || isEmpty(v[k]); });
      }
      return false;
    }

    // renumber gives every field its path (data-path) and every control
    // in a table of rows its id, row number and name.
    function renumber(scope, prefix) {
      children(scope).forEach(function (el) {
        var key = el.dataset.group !== undefined ? el.dataset.group : el.dataset.rows !== undefined ? el.dataset.rows : el.dataset.key;
        var p = join(prefix, key);
        el.dataset.path = p;
        if (el.dataset.group !== undefined) {
          renumber(el, p);
        } else if (el.dataset.rows !== undefined) {
          rowsOf(el).forEach(function (tr, i) {
            var rp = p + "[" + i + "]";
            tr.dataset.path = rp;
            var n = i + 1;
            tr.querySelector("th.n").textContent = String(n);
            tr.querySelectorAll("button[data-up]").forEach(function (b) { b.setAttribute("aria-label", "上移第" + n + "行"); });
            tr.querySelectorAll("button[data-down]").forEach(function (b) { b.setAttribute("aria-label", "下移第" + n + "行"); });
            tr.querySelectorAll("button[data-del]").forEach(function (b) { b.setAttribute("aria-label", "删除第" + n + "行"); });
            renumber(tr, rp);
          });
        } else if (el.closest("tr[data-row]")) {
          var id = fieldID(p);
          var msgs = el.parentElement.querySelector(".msgs");
          el.id = id;
          if (msgs) { msgs.id = id + "-msgs"; }
          el.setAttribute("aria-describedby", id + "-msgs");
          var label = el.getAttribute("aria-label") || "";
          el.setAttribute("aria-label", label.replace(/（第[^）]*行）$/, "") + "（第" + (el.closest("tr[data-row]").rowIndex) + "行）");
          var up = el.parentElement.querySelector("input[data-upload]");
          if (up) {
            var ul = up.getAttribute("aria-label") || "";
            up.setAttribute("aria-label", ul.replace(/（第[^）]*行）$/, "") + "（第" + el.closest("tr[data-row]").rowIndex + "行）");
          }
        }
      });
    }

    // syncOrig makes model the values the form was opened with, after a
    // save: untouched controls send them back.
    function syncOrig(scope, m) {
      m = m || {};
      children(scope).forEach(function (el) {
        if (el.dataset.group !== undefined) {
          syncOrig(el, m[el.dataset.group]);
        } else if (el.dataset.rows !== undefined) {
          var list = m[el.dataset.rows] || [];
          var k = 0;
          rowsOf(el).forEach(function (tr) {
            if (isEmpty(collect(tr))) {
              delete tr.dataset.i;
              syncOrig(tr, {});
              return;
            }
            tr.dataset.i = String(k);
            syncOrig(tr, list[k] || {});
            k++;
          });
        } else {
          var v = m[el.dataset.key];
          if (v === undefined) {
            v = el.dataset.kind === "bool" ? false : (el.dataset.kind === "list" || el.dataset.kind === "files") ? [] : "";
          }
          el.dataset.orig = JSON.stringify(v);
          delete el.dataset.dirty;
        }
      });
    }

    function submission() {
      var s = { file: form.dataset.file, base: form.dataset.base };
      if (body.dataset.dirty) { s.body = body.value; }
      if (rawArea) { s.raw = rawArea.value; } else { s.fields = collect(root); }
      return s;
    }

    // ---- messages

    function clearMessages() {
      form.querySelectorAll(".msgs").forEach(function (m) { m.textContent = ""; });
      form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    }

    function target(key) {
      if (key === "body") { return body; }
      if (!key || !root) { return null; }
      for (var k = key; k; ) {
        var el = root.querySelector('[data-path="' + (window.CSS && CSS.escape ? CSS.escape(k) : k) + '"]');
        if (el) { return el; }
        var cut = Math.max(k.lastIndexOf("."), k.lastIndexOf("["));
        k = cut > 0 ? k.slice(0, cut) : "";
      }
      return null;
    }

    function msgsOf(el) {
      if (el === body) { return document.getElementById("f-body-msgs"); }
      if (el.tagName === "FIELDSET" || el.tagName === "TR") {
        return el.querySelector(".msgs");
      }
      return el.parentElement.querySelector(".msgs");
    }

    function message(d) {
      var div = document.createElement("div");
      div.className = "msg" + (d.error ? "" : " warning");
      var where = d.key === "body" && d.bodyLine ? "正文第 " + d.bodyLine + " 行：" : "";
      div.textContent = (d.error ? "错误：" : "提醒：") + where + d.msg;
      if (d.hint) {
        var h = document.createElement("div");
        h.className = "hint";
        h.textContent = "提示：" + d.hint;
        div.appendChild(h);
      }
      return div;
    }

    function show(res) {
      clearMessages();
      summary.textContent = "";
      summary.classList.remove("has-errors");
      var diags = res.diags || [];
      if (diags.length === 0) {
        var ok = document.createElement("p");
        ok.className = "ok";
        ok.textContent = "检查通过：和 gongkai check 的结果一样，没有错误。";
        summary.appendChild(ok);
      } else {
        var head = document.createElement("p");
        head.textContent = "检查结果（与 gongkai check 相同）：" + res.errors + " 个错误，" + res.warnings + " 个提醒。";
        summary.appendChild(head);
        if (res.errors > 0) { summary.classList.add("has-errors"); }
        var ul = document.createElement("ul");
        diags.forEach(function (d) {
          var el = target(d.key) || (rawArea && d.key !== "body" ? rawArea : null);
          var li = document.createElement("li");
          var pre = document.createElement("pre");
          pre.textContent = d.text;
          if (el) {
            var a = document.createElement("a");
            a.href = "#" + (el.id || "");
            a.textContent = "到这一项";
            a.addEventListener("click", function (ev) { ev.preventDefault(); focusField(el); });
            li.appendChild(pre);
            li.appendChild(a);
            var box = msgsOf(el);
            if (box) { box.appendChild(message(d)); }
            if (d.error && el.matches("input,select,textarea")) { el.setAttribute("aria-invalid", "true"); }
          } else {
            li.appendChild(pre);
            if (d.key) {
              var note = document.createElement("p");
              note.className = "hint";
              note.textContent = "（这一项表单里没有；保存时原样保留，需要时请用文本编辑器修改。）";
              li.appendChild(note);
            }
          }
          ul.appendChild(li);
        });
        summary.appendChild(ul);
      }
      if (typeof res.preview === "string") { setPreview(res.preview); }
    }

    function focusField(el) {
      if (el.tagName === "FIELDSET" || el.tagName === "TR") {
        var c = el.querySelector("input,select,textarea,button");
        if (c) { el = c; }
      }
      el.focus();
    }

    function setPreview(html) {
      var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
      var box = doc.body.firstElementChild;
      box.querySelectorAll("script,style,link,meta,base,iframe,frame,object,embed,form,input,button,textarea,select").forEach(function (n) { n.remove(); });
      box.querySelectorAll("*").forEach(function (n) {
        Array.prototype.slice.call(n.attributes).forEach(function (a) {
          var name = a.name.toLowerCase();
          if (name.indexOf("on") === 0 || name === "href" || name === "src" && !/^(data:image\/|\/)/.test(a.value) || name === "srcset" || name === "style" || name === "id") {
            n.removeAttribute(a.name);
          }
        });
      });
      preview.replaceChildren.apply(preview, Array.prototype.slice.call(box.childNodes));
    }

    // ---- checking while typing

    function check() {
      if (inflight) { inflight.abort(); }
      var ctl = new AbortController();
      inflight = ctl;
      fetch("/_edit/api/check", {
        method: "POST", signal: ctl.signal, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Gongkai-Token": token },
        body: JSON.stringify(submission())
      }).then(function (r) { return r.json().then(function (d) { return { status: r.status, data: d }; }); })
        .then(function (r) {
          if (inflight === ctl) { inflight = null; }
          if (r.status === 200) { show(r.data); } else { say(status, r.data.error || "检查失败"); }
        }).catch(function (e) { if (e.name !== "AbortError") { say(status, "检查失败：" + e.message); } });
    }

    function later() {
      changed = true;
      clearTimeout(timer);
      timer = setTimeout(check, 500);
    }

    form.addEventListener("input", function (ev) {
      if (ev.target === body) { body.dataset.dirty = "1"; }
      var c = ev.target.closest("[data-key]");
      if (c) { c.dataset.dirty = "1"; }
      later();
    });
    form.addEventListener("change", function (ev) {
      if (ev.target.matches("input[type=file]")) { return; }
      var c = ev.target.closest("[data-key]");
      if (c) { c.dataset.dirty = "1"; }
      later();
    });

    // ---- rows

    form.addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b || !form.contains(b)) { return; }
      var fs = b.closest("[data-rows]");
      var tr = b.closest("tr[data-row]");
      if (b.hasAttribute("data-add") && fs) {
        var tr2 = addRow(fs);
        renumber(root, "");
        var first = tr2.querySelector("input,select,textarea");
        if (first) { first.focus(); }
        later();
      } else if (b.hasAttribute("data-del") && tr) {
        var next = tr.nextElementSibling || tr.previousElementSibling;
        var fsd = tr.closest("[data-rows]");
        tr.remove();
        renumber(root, "");
        var f = next ? next.querySelector("input,select,textarea") : fsd.querySelector("button[data-add]");
        if (f) { f.focus(); }
        say(status, "已删除一行（保存后生效）");
        later();
      } else if (b.hasAttribute("data-up") && tr && tr.previousElementSibling) {
        tr.parentElement.insertBefore(tr, tr.previousElementSibling);
        renumber(root, "");
        b.focus();
        later();
      } else if (b.hasAttribute("data-down") && tr && tr.nextElementSibling) {
        tr.parentElement.insertBefore(tr.nextElementSibling, tr);
        renumber(root, "");
        b.focus();
        later();
      }
    });

    function addRow(fs) {
      var tpl = fs.querySelector(":scope > template");
      var tr = tpl.content.firstElementChild.cloneNode(true);
      fs.querySelector("tbody").appendChild(tr);
      return tr;
    }

    // ---- pasting rows from a spreadsheet

    var synonyms = {
      date: ["日期", "时间", "发生日期", "记账日期"],
      item: ["事项", "摘要", "项目", "内容", "用途", "收支事项", "说明", "议题"],
      amount: ["金额", "金额（元）", "发生额", "收入", "支出", "收入金额", "支出金额"],
      voucher: ["凭证号", "凭证", "凭证编号", "凭证字号", "凭证号数"],
      name: ["姓名", "名字"],
      reason: ["原因", "缺席原因", "理由"]
    };

    function parseTSV(text) {
      var rows = [], row = [], cell = "", i = 0, quoted = false;
      text = text.replace(/\r\n?/g, "\n");
      for (; i < text.length; i++) {
        var c = text[i];
        if (quoted) {
          if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
          else if (c === '"') { quoted = false; }
          else { cell += c; }
        } else if (c === '"' && cell === "") {
          quoted = true;
        } else if (c === "\t") {
          row.push(cell); cell = "";
        } else if (c === "\n") {
          row.push(cell); rows.push(row); row = []; cell = "";
        } else {
          cell += c;
        }
      }
      if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
      return rows.filter(function (r) { return r.some(function (c) { return c.trim() !== ""; }); });
    }

    function clean(h) { return h.replace(/\s+/g, "").replace(/[（(]元[)）]$/, "").replace(/[:：*]$/, ""); }

    function columnOf(cols, header) {
      var h = clean(header);
      if (!h) { return -1; }
      for (var i = 0; i < cols.length; i++) {
        var c = cols[i];
        if (clean(c.label) === h || c.key === h) { return i; }
      }
      for (var j = 0; j < cols.length; j++) {
        if ((synonyms[cols[j].key] || []).indexOf(h) >= 0) { return j; }
      }
      return -1;
    }

    function summaryRow(item) {
      var s = item.replace(/\s+/g, "");
      return /^(本期|本月|本季|本年)?(合计|小计|总计|累计|期初余额|期末余额|上期结转|上年结转|结转下期|承前页|过次页)/.test(s);
    }

    function normalDate(s) {
      var m = s.trim().match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
      if (!m) { return s.trim(); }
      return m[1] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[3]).slice(-2);
    }

    function normalAmount(s) {
      return s.trim().replace(/^[¥￥]\s*/, "").replace(/[,，\s]/g, "").replace(/元$/, "");
    }

    form.addEventListener("paste", function (ev) {
      var cell = ev.target.closest("tr[data-row] [data-key]");
      if (!cell || !ev.clipboardData) { return; }
      var text = ev.clipboardData.getData("text/plain");
      if (!text || (text.indexOf("\t") < 0 && text.replace(/\n$/, "").indexOf("\n") < 0)) { return; }
      ev.preventDefault();
      var tr = cell.closest("tr[data-row]");
      var fs = tr.closest("[data-rows]");
      var ths = fs.querySelectorAll("thead th[data-col]");
      var cols = Array.prototype.map.call(ths, function (th) {
        return { key: th.dataset.col, label: th.textContent.replace("*", "").replace("（必填）", "") };
      });
      var rows = parseTSV(text);
      var start = cols.map(function (c) { return c.key; }).indexOf(cell.dataset.key);
      var mapping = null;
      if (rows.length > 0) {
        var byHeader = rows[0].map(function (h) { return columnOf(cols, h); });
        if (byHeader.filter(function (x) { return x >= 0; }).length >= Math.min(2, rows[0].length)) {
          mapping = byHeader;
          rows = rows.slice(1);
        }
      }
      var itemCol = cols.map(function (c) { return c.key; }).indexOf("item");
      var n = 0;
      var current = tr;
      rows.forEach(function (cells) {
        var values = {};
        cells.forEach(function (v, i) {
          var ci = mapping ? mapping[i] : start + i;
          if (ci >= 0 && ci < cols.length) { values[cols[ci].key] = v; }
        });
        if (itemCol >= 0 && values.item !== undefined && summaryRow(values.item)) { return; }
        if (!current) { current = addRow(fs); }
        children(current).forEach(function (el) {
          var v = values[el.dataset.key];
          if (v === undefined) { return; }
          if (el.type === "date") { v = normalDate(v); }
          if (el.getAttribute("inputmode") === "decimal") { v = normalAmount(v); }
          if (el.dataset.kind === "bool") { el.checked = /^(是|true|1|√)$/i.test(v.trim()); }
          else { el.value = v.trim(); }
          el.dataset.dirty = "1";
        });
        n++;
        current = current.nextElementSibling;
      });
      renumber(root, "");
      say(status, "已粘贴 " + n + " 行。");
      later();
    });

    // ---- the next article of a convention

    var digits = "〇一二三四五六七八九";
    function numeral(n) {
      var q = Math.floor(n / 1000), h = Math.floor(n / 100) % 10, t = Math.floor(n / 10) % 10, u = n % 10, s = "";
      if (q > 0) { s += digits[q] + "千"; if (h === 0 && (t > 0 || u > 0)) { s += "零"; } }
      if (h > 0) { s += digits[h] + "百"; if (t === 0 && u > 0) { s += "零"; } }
      if (t > 0) { if (q > 0 || h > 0 || t > 1) { s += digits[t]; } s += "十"; }
      if (u > 0) { s += digits[u]; }
      return s;
    }
    function parseNumeral(s) {
      var n = 0, cur = 0;
      for (var i = 0; i < s.length; i++) {
        var c = s[i], d = "〇零一二三四五六七八九".indexOf(c);
        if (d >= 0) { cur = d <= 1 ? 0 : d - 1; continue; }
        var unit = c === "十" ? 10 : c === "百" ? 100 : c === "千" ? 1000 : 0;
        if (!unit) { return 0; }
        n += (cur || 1) * unit;
        cur = 0;
      }
      return n + cur;
    }
    var nextArticle = document.getElementById("next-article");
    if (nextArticle) {
      nextArticle.addEventListener("click", function () {
        var max = 0;
        body.value.split("\n").forEach(function (l) {
          var m = l.replace(/^[\s#*]+/, "").match(/^第([〇零一二三四五六七八九十百千]+)条/);
          if (m) { max = Math.max(max, parseNumeral(m[1])); }
        });
        var heading = "## 第" + numeral(max + 1) + "条";
        var at = body.selectionStart, v = body.value;
        var before = v.slice(0, at), after = v.slice(at);
        var pre = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
        var ins = pre + heading + "\n\n";
        body.value = before + ins + after;
        body.dataset.dirty = "1";
        body.focus();
        body.selectionStart = body.selectionEnd = at + ins.length;
        say(status, "已插入“" + heading.slice(3) + "”");
        later();
      });
    }

    // ---- uploading into the record's folder

    form.addEventListener("change", function (ev) {
      var input = ev.target;
      if (!input.matches("input[type=file][data-upload]") || !input.files || !input.files.length) { return; }
      upload(input, input.files[0], false);
    });

    function upload(input, file, replace) {
      var fd = new FormData();
      fd.append("upload", file, file.name);
      var url = "/_edit/api/upload?file=" + encodeURIComponent(form.dataset.file) + (replace ? "&replace=1" : "");
      say(status, "正在上传 " + file.name + "…");
      post(url, fd, true).then(function (r) {
        if (r.status === 409 && r.data.exists && !replace) {
          if (window.confirm("记录文件夹里已经有 " + file.name + "，用新文件替换它吗？")) { upload(input, file, true); }
          else { say(status, "没有上传。"); }
          return;
        }
        if (r.status !== 200) { say(status, r.data.error || "上传失败"); return; }
        if (r.data.file !== form.dataset.file) {
          form.dataset.file = r.data.file;
          history.replaceState(null, "", "/_edit/r/" + r.data.file);
          say(document.querySelector(".meta code"), r.data.file);
        }
        addFile(r.data.name, r.data.files || [], input);
        input.value = "";
        say(status, "已上传 " + r.data.name + "。保存后生效。");
        later();
      }).catch(function (e) { say(status, "上传失败：" + e.message); });
    }

    function addFile(name, files, input) {
      // Every file choice learns the new file.
      form.querySelectorAll("select").forEach(function (sel) {
        if (!sel.closest("td,.field") || !sel.parentElement.querySelector("input[data-upload]")) { return; }
        if (!Array.prototype.some.call(sel.options, function (o) { return o.value === name; })) {
          var o = document.createElement("option");
          o.value = name;
          o.textContent = name;
          sel.appendChild(o);
        }
      });
      form.querySelectorAll("fieldset[data-kind=files]").forEach(function (fs) {
        var list = fs.querySelector(".file-list");
        var empty = list.querySelector(".empty");
        if (empty) { empty.remove(); }
        var box = Array.prototype.find.call(list.querySelectorAll("input[type=checkbox]"), function (c) { return c.value === name; });
        if (!box) {
          var label = document.createElement("label");
          label.className = "choice";
          box = document.createElement("input");
          box.type = "checkbox";
          box.value = name;
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + name));
          list.appendChild(label);
        }
        if (input.dataset.upload === "attach" && fs.contains(input)) {
          box.checked = true;
          fs.dataset.dirty = "1";
        }
      });
      if (input.dataset.upload === "file") {
        var sel = input.parentElement.querySelector("select");
        sel.value = name;
        sel.dataset.dirty = "1";
      }
    }

    // ---- saving

    function save(base) {
      var s = submission();
      if (base) { s.base = base; }
      say(status, "正在保存…");
      return post("/_edit/api/save", s).then(function (r) {
        if (r.status === 409 && r.data.disk !== undefined) { conflict(r.data); return; }
        if (r.status !== 200) { say(status, r.data.error || "保存失败"); return; }
        var res = r.data;
        if (res.reload) { changed = false; location.reload(); return; }
        form.dataset.base = res.base;
        if (root && res.model) { syncOrig(root, res.model); renumber(root, ""); }
        delete body.dataset.dirty;
        changed = false;
        show(res);
        say(status, res.saved ? "已保存 " + new Date().toLocaleTimeString() + (res.errors ? "（还有 " + res.errors + " 个错误）" : "") : "没有改动，文件未写入。");
      }).catch(function (e) { say(status, "保存失败：" + e.message); });
    }

    var dlg = document.getElementById("conflict");
    function conflict(c) {
      say(document.getElementById("conflict-msg"), c.error);
      say(document.getElementById("conflict-disk"), c.disk);
      say(document.getElementById("conflict-mine"), c.mine);
      dlg.dataset.base = c.diskBase;
      say(status, "没有保存：文件在别处被改过。");
      dlg.showModal();
    }
    document.getElementById("conflict-reload").addEventListener("click", function () { changed = false; location.reload(); });
    document.getElementById("conflict-overwrite").addEventListener("click", function () { dlg.close(); save(dlg.dataset.base); });
    document.getElementById("conflict-cancel").addEventListener("click", function () { dlg.close(); });

    form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
    document.addEventListener("keydown", function (ev) {
      if ((ev.ctrlKey || ev.metaKey) && (ev.key === "s" || ev.key === "S")) { ev.preventDefault(); save(); }
    });
    window.addEventListener("beforeunload", function (ev) {
      if (changed) { ev.preventDefault(); ev.returnValue = ""; }
    });

    // ---- removing

    var rm = document.getElementById("confirm-remove");
    document.getElementById("remove").addEventListener("click", function () { rm.showModal(); });
    document.getElementById("remove-no").addEventListener("click", function () { rm.close(); });
    document.getElementById("remove-yes").addEventListener("click", function () {
      post("/_edit/api/remove", { file: form.dataset.file, base: form.dataset.base }).then(function (r) {
        rm.close();
        if (r.status !== 200) { say(status, r.data.error || "没有删除"); return; }
        changed = false;
        location.href = "/_edit/";
      });
    });

    if (root) { renumber(root, ""); }
    var initial = document.getElementById("initial");
    if (initial) {
      var res = JSON.parse(initial.textContent);
      res.preview = undefined;
      show(res);
    }
  }

  // ---- a new record ---------------------------------------------------------

  var nf = document.getElementById("new-record");
  if (nf) {
    var confirmed = "";
    nf.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var msgs = document.getElementById("new-msgs");
      var sec = nf.querySelector("input[name=section]:checked");
      var slug = document.getElementById("slug").value.trim();
      if (!sec || !slug) { say(msgs, "请选择栏目并填写文件名。"); return; }
      if (/[^\x00-\x7f]/.test(slug) && confirmed !== slug) {
        confirmed = slug;
        say(msgs, "文件名“" + slug + "”含有汉字或其他非英文字符：网址很长，二维码很密，手机不好扫。建议只用字母、数字和连字符，如 2026-q3-caiwu。仍要用这个名称，请再按一次“新建”。");
        return;
      }
      post("/_edit/api/new", { section: sec.value, slug: slug, bundle: document.getElementById("bundle").checked }).then(function (r) {
        if (r.status !== 200) { say(msgs, r.data.error || "没有新建"); return; }
        location.href = "/_edit/r/" + r.data.file;
      });
    });
  }

  // ---- publishing -------------------------------------------------------------

  var open = document.getElementById("open-publish");
  if (open) {
    var pd = document.getElementById("publish-dialog");
    var pf = document.getElementById("publish-form");
    open.addEventListener("click", function () { pd.showModal(); });
    document.getElementById("publish-cancel").addEventListener("click", function () { pd.close(); });
    pf.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var msgs = document.getElementById("publish-msgs");
      var req = { message: document.getElementById("p-message").value.trim(), notes: {}, withdraw: {} };
      var missing = [];
      if (!req.message) { missing.push(document.getElementById("p-message")); }
      pf.querySelectorAll("[data-note]").forEach(function (i) {
        if (!i.value.trim()) { missing.push(i); }
        req.notes[i.dataset.note] = i.value.trim();
      });
      pf.querySelectorAll("[data-withdraw]").forEach(function (i) {
        if (!i.value.trim()) { missing.push(i); }
        req.withdraw[i.dataset.withdraw] = i.value.trim();
      });
      pf.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
      if (missing.length) {
        missing.forEach(function (i) { i.setAttribute("aria-invalid", "true"); });
        say(msgs, "请填写发布说明、每条修订的修改说明和每条撤回的理由。");
        missing[0].focus();
        return;
      }
      say(msgs, "正在发布…");
      post("/_edit/api/publish", req).then(function (r) {
        if (r.status !== 200) {
          msgs.textContent = "";
          var p = document.createElement("p");
          p.textContent = r.data.error || "发布失败";
          msgs.appendChild(p);
          (r.data.diags || []).forEach(function (d) { var pre = document.createElement("pre"); pre.textContent = d; msgs.appendChild(pre); });
          return;
        }
        pd.close();
        open.remove();
        var out = document.getElementById("publish-result");
        out.textContent = "";
        var h = document.createElement("h2");
        h.textContent = "已登记第 " + r.data.number + " 次发布";
        out.appendChild(h);
        var ul = document.createElement("ul");
        (r.data.lines || []).forEach(function (l) { var li = document.createElement("li"); li.textContent = l; ul.appendChild(li); });
        out.appendChild(ul);
        var p = document.createElement("p");
        p.textContent = "账本现有 " + r.data.size + " 条。" + (r.data.checkpoint ? "检查点保存在内容文件夹的 " + r.data.checkpoint + "：请把它交给街道和监督委员会保存。" : "") + "请重新生成网站（gongkai build）并上传。";
        out.appendChild(p);
        h.tabIndex = -1;
        h.focus();
      });
    });
  }
})();
