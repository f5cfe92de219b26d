// Staff console: keeps deadline countdowns running and reveals phones in place. Plain JS, no build step.
// Everything works without it too: countdowns are rendered by the server, reveal forms post normally.
(function () {
  'use strict';
  var body = document.body;
  var words = {
    left: body.getAttribute('data-left'), hm: body.getAttribute('data-hm'),
    ms: body.getAttribute('data-ms'), over: body.getAttribute('data-over')
  };
  // Count from the server's clock, not the phone's: a phone set ten minutes wrong must not hide an overdue case.
  var serverNow = parseInt(body.getAttribute('data-now'), 10);
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();

  function fill(template, a, b) {
    return template.replace('{0}', a).replace('{1}', b);
  }

  function text(deadline, now) {
    var secs = Math.floor((deadline - now) / 1000);
    if (secs <= 0) return null;
    var h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
    var left = h > 0 ? fill(words.hm, h, m) : fill(words.ms, m, (s < 10 ? '0' : '') + s);
    return fill(words.left, left, '');
  }

  function tick() {
    var now = Date.now() + skew;
    var items = document.querySelectorAll('.countdown[data-deadline]');
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var t = text(parseInt(el.getAttribute('data-deadline'), 10), now);
      if (t === null) {
        el.textContent = words.over;
        el.classList.add('over');
      } else {
        el.textContent = t;
      }
    }
  }

  function reveal(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains('reveal')) return;
    event.preventDefault();
    var button = form.querySelector('button');
    button.disabled = true;
    fetch(form.action, {
      method: 'POST', credentials: 'same-origin',
      headers: {'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (data) {
      var id = form.action.split('/cases/')[1].split('/')[0];
      var phones = document.querySelectorAll('.phone[data-phone="' + id + '"]');
      for (var i = 0; i < phones.length; i++) {
        phones[i].textContent = data.phone;
        phones[i].classList.add('revealed');
      }
      form.remove();
    }).catch(function () {
      button.disabled = false;
      form.submit(); // fall back to the plain post, which shows the server's own answer
    });
  }

  document.addEventListener('submit', reveal);
  tick();
  setInterval(tick, 1000);
})();
