// Staff console: keeps deadline countdowns running, reveals phones in place, shows an import's upload progress and
// follows a campaign's figures. Plain JS, no build step.
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
        // A number staff asked to see is one they mean to call: on a phone, one tap dials it.
        var call = document.createElement('a');
        call.href = 'tel:' + data.phone;
        call.textContent = data.phone;
        phones[i].textContent = '';
        phones[i].appendChild(call);
        phones[i].classList.add('revealed');
      }
      form.remove();
    }).catch(function () {
      button.disabled = false;
      form.submit(); // fall back to the plain post, which shows the server's own answer
    });
  }

  // Case import: the same multipart post, with the upload's progress on a bar, then "processing" until the
  // server's result page arrives, whose main part replaces this one's (result, error or 413 page alike).
  function upload(event) {
    var form = event.target;
    if (form.id !== 'import-form' || !window.FormData || !window.DOMParser) return;
    event.preventDefault();
    var bar = document.getElementById('import-progress');
    var status = document.getElementById('import-status');
    var button = form.querySelector('button[type=submit]');
    var file = form.querySelector('input[type=file]').files[0];
    var max = parseInt(form.getAttribute('data-max-bytes'), 10);
    if (file && !isNaN(max) && file.size > max) {
      status.textContent = form.getAttribute('data-too-large');
      return;
    }
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = '';
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) bar.value = Math.floor(100 * e.loaded / e.total);
    };
    xhr.upload.onload = function () {
      bar.removeAttribute('value'); // indeterminate: the server is reading the rows now
      status.textContent = form.getAttribute('data-processing');
    };
    xhr.onload = function () {
      var page = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      var main = page.querySelector('main');
      if (!main) return xhr.onerror();
      document.querySelector('main').replaceWith(document.adoptNode(main));
      document.title = page.title;
    };
    xhr.onerror = function () {
      button.disabled = false;
      bar.hidden = true;
      status.textContent = form.getAttribute('data-failed');
    };
    xhr.send(new FormData(form));
  }

  // Campaign page: the figures and the bar follow the session-checked JSON until the campaign is over.
  function followCampaign() {
    var box = document.getElementById('campaign-progress');
    if (!box) return;
    var url = box.getAttribute('data-url');
    function refresh() {
      fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}}).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      }).then(function (p) {
        var fields = box.querySelectorAll('[data-field]');
        for (var i = 0; i < fields.length; i++) {
          var v = p[fields[i].getAttribute('data-field')];
          if (v !== undefined && v !== null) fields[i].textContent = v;
        }
        document.getElementById('campaign-bar').value = p.percent;
        if (p.final) {
          var moves = document.getElementById('campaign-moves');
          if (moves) moves.hidden = true;
        } else {
          setTimeout(refresh, 1500);
        }
      }).catch(function () {
        setTimeout(refresh, 10000);
      });
    }
    setTimeout(refresh, 1500);
  }

  document.addEventListener('submit', reveal);
  document.addEventListener('submit', upload);
  followCampaign();
  tick();
  setInterval(tick, 1000);
})();
