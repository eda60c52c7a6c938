// gongkai theme script: the 大字 (large type) switch, remembered across
// pages and visits. Everything on the page is readable without it.
(function () {
  var KEY = 'gongkai-dazi';
  var root = document.documentElement;
  var on = false;
  try { on = localStorage.getItem(KEY) === '1'; } catch (e) {}
  if (on) root.classList.add('dazi');
  document.addEventListener('DOMContentLoaded', function () {
    var b = document.getElementById('dazi');
    if (!b) return;
    b.hidden = false;
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
    b.addEventListener('click', function () {
      on = !on;
      root.classList.toggle('dazi', on);
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      try { localStorage.setItem(KEY, on ? '1' : '0'); } catch (e) {}
    });
  });
})();
