// The counter's pass check stays live: every few seconds the page is fetched again and the verdict
// replaced, so a mandate revoked while the relative stands at the counter shows as revoked.
(function () {
  'use strict';
  var result = document.getElementById('pass-result');
  if (!result || !window.fetch || !window.DOMParser) return;
  var seconds = parseInt(result.getAttribute('data-live-refresh'), 10) || 20;
  function refresh() {
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('pass-result');
        var current = document.getElementById('pass-result');
        if (!fresh || !current) return;
        // Keep focus where it was: replace only when the verdict or the cases changed.
        var changed = fresh.querySelector('#pass-verdict').getAttribute('data-verdict') !==
          current.querySelector('#pass-verdict').getAttribute('data-verdict') ||
          fresh.querySelectorAll('.card').length !== current.querySelectorAll('.card').length;
        if (changed) { current.replaceWith(fresh); } else {
          current.querySelector('#pass-checked').textContent = fresh.querySelector('#pass-checked').textContent;
        }
      })
      .catch(function () {});
  }
  window.setInterval(refresh, seconds * 1000);
})();
