// The public intake and booking pages (graph/publicpage). Every page works
// without this script; it only helps: it focuses the error summary, keeps
// a form from being sent twice, and on the booking page loads the open
// slots of the chosen practitioner, type and dates without a reload.
(function () {
  'use strict';

  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
  }

  // One click sends a form once. The buttons are disabled after the form's
  // data is taken, so that they still count as the submitter.
  Array.prototype.forEach.call(document.querySelectorAll('form[data-once]'), function (form) {
    form.addEventListener('submit', function (ev) {
      if (form.getAttribute('data-sent') === '1') {
        ev.preventDefault();
        return;
      }
      form.setAttribute('data-sent', '1');
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll('button[type="submit"]'), function (b) {
          b.disabled = true;
        });
      }, 0);
    });
  });

  var choose = document.getElementById('choose');
  var book = document.getElementById('book');
  if (!choose || !book || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var slotsURL = choose.getAttribute('data-slots');
  var status = document.getElementById('slots-status');

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function el(tag, className) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    return e;
  }

  function pageURL(practitioner, type, from) {
    var q = new URLSearchParams();
    q.set('practitioner', practitioner);
    q.set('type', type);
    q.set('from', from);
    return choose.getAttribute('action') + '?' + q.toString();
  }

  function render(data, practitioner, type) {
    var list = document.getElementById('slot-list');
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    var count = 0;
    data.days.forEach(function (day) {
      var fs = el('fieldset', 'day');
      var legend = el('legend');
      legend.textContent = day.label;
      fs.appendChild(legend);
      var wrap = el('div', 'day-slots');
      day.slots.forEach(function (s) {
        var d = el('div', 'slot');
        var input = el('input');
        input.type = 'radio';
        input.id = s.id;
        input.name = 'slot';
        input.value = s.value;
        input.required = true;
        var label = el('label');
        label.htmlFor = s.id;
        label.textContent = s.label;
        d.appendChild(input);
        d.appendChild(label);
        wrap.appendChild(d);
        count++;
      });
      fs.appendChild(wrap);
      list.appendChild(fs);
    });
    if (count === 0) {
      var p = el('p', 'empty');
      p.textContent = 'No times are open in this period. Please try later dates.';
      list.appendChild(p);
    }
    var slots = document.getElementById('slots');
    slots.querySelector('.period').textContent = data.label;
    slots.querySelector('.zone-name').textContent = data.zone;
    [['prev', data.prev], ['next', data.next]].forEach(function (pair) {
      var a = slots.querySelector('a.' + pair[0]);
      if (!a) {
        return;
      }
      a.hidden = !pair[1];
      a.setAttribute('data-from', pair[1] || '');
      a.setAttribute('href', pair[1] ? pageURL(practitioner, type, pair[1]) : '');
    });
    return count;
  }

  var pending = 0;
  function load(from) {
    var practitioner = field(choose, 'practitioner').value;
    var type = field(choose, 'type').value;
    var date = field(choose, 'from');
    if (from) {
      date.value = from;
    }
    var q = new URLSearchParams();
    q.set('practitioner', practitioner);
    q.set('type', type);
    q.set('from', date.value);
    var mine = ++pending;
    book.setAttribute('aria-busy', 'true');
    status.textContent = 'Loading available times…';
    fetch(slotsURL + '?' + q.toString(), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.json().then(function (body) {
          return { ok: res.ok, body: body };
        });
      })
      .then(function (r) {
        if (mine !== pending) {
          return;
        }
        book.removeAttribute('aria-busy');
        if (!r.ok) {
          status.textContent = r.body.error || 'The times could not be loaded. Please use the button “Show available times”.';
          return;
        }
        field(book, 'practitioner').value = practitioner;
        field(book, 'type').value = type;
        field(book, 'from').value = r.body.from;
        date.value = r.body.from;
        var n = render(r.body, practitioner, type);
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, '', pageURL(practitioner, type, r.body.from));
        }
        status.textContent = (n === 0 ? 'No times are open' : n + (n === 1 ? ' time is' : ' times are') + ' available') +
          ', ' + r.body.label + '.';
      })
      .catch(function () {
        if (mine !== pending) {
          return;
        }
        book.removeAttribute('aria-busy');
        status.textContent = 'The times could not be loaded. Please use the button “Show available times”.';
      });
  }

  choose.addEventListener('change', function () {
    load();
  });
  choose.addEventListener('submit', function (ev) {
    ev.preventDefault();
    load();
  });
  document.getElementById('slots').addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('.weeks a[data-from]');
    if (!a || !a.getAttribute('data-from')) {
      return;
    }
    ev.preventDefault();
    load(a.getAttribute('data-from'));
    document.getElementById('slot-list').focus();
  });
}());
