// gongkai status script: a page is built on one day and read on another.
// Badges of notice periods (data-from, data-to: YYYY-MM-DD) and the
// home page's "正在公示" list are turned to the reader's own day; without
// the script the page says as of which day it was built. A withdrawn
// record's badge carries no dates and is never touched.
(function () {
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function isoDay(d) { return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()); }
  function state(from, to, day) {
    if (day < from) return '未开始';
    if (day > to) return '公示期已结束';
    return '公示中';
  }
  function run() {
    var now = new Date(), day = isoDay(now);
    var i, el, s;
    var badges = document.querySelectorAll('.badge[data-from][data-to]');
    for (i = 0; i < badges.length; i++) {
      el = badges[i];
      s = state(el.getAttribute('data-from'), el.getAttribute('data-to'), day);
      el.textContent = s;
      el.classList.toggle('on', s === '公示中');
    }
    var items = document.querySelectorAll('li[data-from][data-to]');
    var running = 0;
    for (i = 0; i < items.length; i++) {
      el = items[i];
      s = state(el.getAttribute('data-from'), el.getAttribute('data-to'), day);
      el.hidden = s !== '公示中';
      if (!el.hidden) running++;
    }
    var none = document.querySelectorAll('[data-none]');
    for (i = 0; i < none.length; i++) none[i].hidden = running > 0;
    var asof = document.querySelectorAll('[data-today]');
    for (i = 0; i < asof.length; i++) {
      asof[i].textContent = '今天是' + now.getFullYear() + '年' + (now.getMonth() + 1) + '月' + now.getDate() + '日';
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
