// ZeroErrand: small progressive enhancements. Every page also works without this file.
(function () {
  "use strict";

  // Fill an empty time-zone field with the browser's own zone.
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  if (zone) {
    document.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
      if (!input.value) { input.value = zone; }
    });
  }

  // Links in emails carry the token in the fragment (#token=...), which never reaches a server
  // or a log. Put it into the form and take it out of the address bar and history.
  var tokenInputs = document.querySelectorAll("input[data-fragment-token]");
  if (tokenInputs.length && location.hash.length > 1) {
    var token = "";
    location.hash.slice(1).split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq > 0 && part.slice(0, eq) === "token") {
        try { token = decodeURIComponent(part.slice(eq + 1)); } catch (e) { token = ""; }
      }
    });
    if (token) {
      tokenInputs.forEach(function (input) { input.value = token; });
      if (window.history && history.replaceState) {
        history.replaceState(history.state, "", location.pathname + location.search);
      }
    }
  }

  // A print button for recovery codes, shown only where printing is possible.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    if (typeof window.print !== "function") { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
