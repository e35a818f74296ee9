// The mediation page during a session: each party sees a new version of the agreement as soon as
// the mediator saves it. Every few seconds the page asks which version is current; when it
// changed, the page reloads at the agreement, unless the reader is typing (a code, a note), in
// which case a notice with a link says so instead. Without this file the page works as before.
(function () {
  "use strict";
  var section = document.getElementById("agreement");
  var notice = document.getElementById("agreement-changed");
  if (!section || !notice || !window.fetch) { return; }
  var path = section.getAttribute("data-version-path");
  if (!path) { return; }
  var shown = section.getAttribute("data-version") || "";

  function typing() {
    var drawn = document.getElementById("signature-drawing");
    if (drawn && drawn.value) { return true; }
    return Array.prototype.some.call(document.querySelectorAll("main input:not([type=hidden]), main textarea"), function (field) {
      return field.value && field.value !== field.defaultValue;
    });
  }

  function check() {
    if (document.hidden) { return; }
    fetch(path, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var current = data.version === null || data.version === undefined ? "" : String(data.version);
        if (current === shown && !data.ended) { return; }
        if (typing()) { notice.hidden = false; return; }
        location.hash = "agreement";
        location.reload();
      })
      .catch(function () { /* the next round tries again */ });
  }

  setInterval(check, 5000);
})();
