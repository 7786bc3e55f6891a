/* Bridgework — progressive enhancement only. Every page works without this file. */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------
  // 1. Quick exit: replace the current history entry with the neutral site.
  // ---------------------------------------------------------------------------
  var ESCAPE_PRESSES = 3;
  var ESCAPE_WINDOW_MS = 2000;
  var escapeTimes = [];

  function quickExit(link) {
    var target = link && link.href;
    if (!target) { return false; }
    try {
      window.location.replace(target);
    } catch (err) {
      window.location.href = target;
    }
    return true;
  }

  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a.quick-exit') : null;
    if (!link) { return; }
    if (quickExit(link)) { event.preventDefault(); }
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') { return; }
    if (event.repeat) { return; }
    var now = Date.now();
    escapeTimes.push(now);
    escapeTimes = escapeTimes.filter(function (t) { return now - t <= ESCAPE_WINDOW_MS; });
    if (escapeTimes.length >= ESCAPE_PRESSES) {
      escapeTimes = [];
      quickExit(document.querySelector('a.quick-exit'));
    }
  });

  // ---------------------------------------------------------------------------
  // 2 + 3. Confirmation prompts and double-submit protection.
  // ---------------------------------------------------------------------------
  var SUBMIT_SELECTOR = 'button:not([type="button"]):not([type="reset"]), input[type="submit"], input[type="image"]';
  var UNLOCK_AFTER_MS = 10000; // safety valve if the submission never navigates (e.g. a download)

  function submitButtons(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll(SUBMIT_SELECTOR));
    if (form.id) {
      var outside = document.querySelectorAll('[form="' + form.id.replace(/"/g, '\\"') + '"]');
      Array.prototype.forEach.call(outside, function (el) {
        if (el.matches(SUBMIT_SELECTOR) && inside.indexOf(el) === -1) { inside.push(el); }
      });
    }
    return inside;
  }

  function lock(form) {
    form.setAttribute('data-submitting', '');
    form.setAttribute('aria-busy', 'true');
    // Disable on the next tick: disabling synchronously would drop the clicked
    // button's name/value from the submitted data.
    window.setTimeout(function () {
      submitButtons(form).forEach(function (btn) {
        if (!btn.disabled) {
          btn.disabled = true;
          btn.setAttribute('data-auto-disabled', '');
        }
      });
    }, 0);
    form._bwUnlockTimer = window.setTimeout(function () { unlock(form); }, UNLOCK_AFTER_MS);
  }

  function unlock(form) {
    window.clearTimeout(form._bwUnlockTimer);
    form.removeAttribute('data-submitting');
    form.removeAttribute('aria-busy');
    submitButtons(form).forEach(function (btn) {
      if (btn.hasAttribute('data-auto-disabled')) {
        btn.disabled = false;
        btn.removeAttribute('data-auto-disabled');
      }
    });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || form.nodeName !== 'FORM' || event.defaultPrevented) { return; }

    if (form.hasAttribute('data-submitting')) {
      event.preventDefault();
      return;
    }

    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }

    if (form.hasAttribute('data-allow-resubmit') || (form.target && form.target !== '_self')) { return; }
    lock(form);
  });

  // ---------------------------------------------------------------------------
  // 4. Installable: the service worker keeps static files and an offline page only.
  // ---------------------------------------------------------------------------
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js').catch(function () {});
  }

  // Restored from the back/forward cache: make forms usable again.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll('form'), unlock);
  });
})();

/* Session brief: the "Print or save as PDF" button (the browser's own Print works too). */
document.addEventListener('click', function (event) {
  var button = event.target && event.target.closest ? event.target.closest('[data-print]') : null;
  if (button) { window.print(); }
});

/* The assign form: only the fields the chosen rhythm needs; choosing an exercise proposes its
   suggested rhythm and, while the instructions box is untouched, its own instructions.
   Without this script every field shows and the server does the same from the chosen card. */
(function () {
  'use strict';
  var form = document.querySelector('form[data-assign-form]');
  if (!form) { return; }

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : '';
  }

  function refresh() {
    var cadence = checked('cadence');
    var ends = checked('ends');
    Array.prototype.forEach.call(form.querySelectorAll('[data-show-for-cadence]'), function (el) {
      el.hidden = el.getAttribute('data-show-for-cadence').split(' ').indexOf(cadence) === -1;
    });
    Array.prototype.forEach.call(form.querySelectorAll('[data-hide-for-cadence]'), function (el) {
      el.hidden = !cadence || el.getAttribute('data-hide-for-cadence') === cadence;
    });
    Array.prototype.forEach.call(form.querySelectorAll('[data-show-for-ends]'), function (el) {
      el.hidden = cadence === 'once' || el.getAttribute('data-show-for-ends') !== ends;
    });
  }

  var select = form.querySelector('select[name="exercise_id"]');
  var instructions = form.querySelector('textarea[name="instructions"]');
  var from = form.querySelector('input[name="instructions_from"]');
  if (select) {
    select.addEventListener('change', function () {
      var option = select.options[select.selectedIndex];
      var cadence = option && option.getAttribute('data-cadence');
      var radio = cadence && form.querySelector('input[name="cadence"][value="' + cadence + '"]');
      if (radio) { radio.checked = true; }
      var previous = from && form.querySelector('[data-instructions-of="' + from.value + '"]');
      var untouched = !instructions.value.trim() ||
        (previous && instructions.value.trim() === previous.textContent.trim());
      var source = form.querySelector('[data-instructions-of="' + select.value + '"]');
      if (instructions && untouched && source) {
        instructions.value = source.textContent.trim();
        if (from) { from.value = select.value; }
      }
      refresh();
    });
  }
  form.addEventListener('change', refresh);
  refresh();
})();
