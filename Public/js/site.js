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

  // Forms that undo something ask first (the question comes translated in data-confirm).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // File uploads: the file is sent as the whole request body (PUT), so the server can stream it
  // to disk and check type and size as it arrives. Progress and results are announced in the
  // status line next to the field; every text comes translated in the field's data attributes.
  var csrfField = document.querySelector("input[name=_csrf]");
  document.querySelectorAll("input[type=file][data-upload-url]").forEach(function (input) {
    var box = input.closest(".upload") || input.parentNode;
    var progress = box.querySelector("[data-upload-progress]");
    var status = box.querySelector("[data-upload-status]");
    var text = function (name) { return input.getAttribute("data-text-" + name) || ""; };
    var say = function (message, failed) {
      if (!status) { return; }
      status.textContent = message;
      status.classList.toggle("upload-failed", !!failed);
    };
    var finish = function () {
      input.disabled = false;
      input.value = "";
      if (progress) { progress.hidden = true; }
    };

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var maxMB = parseInt(input.getAttribute("data-max-mb"), 10);
      if (maxMB > 0 && file.size > maxMB * 1048576) {
        say(text("too-large"), true);
        input.value = "";
        return;
      }

      var request = new XMLHttpRequest();
      request.open("PUT", input.getAttribute("data-upload-url"));
      request.setRequestHeader("Accept", "application/json");
      request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      request.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      if (csrfField) { request.setRequestHeader("X-CSRF-Token", csrfField.value); }
      request.upload.onprogress = function (event) {
        if (!progress || !event.lengthComputable) { return; }
        progress.max = event.total;
        progress.value = event.loaded;
      };
      request.onload = function () {
        if (request.status === 201) {
          if (progress) { progress.value = progress.max; }
          say(text("done"), false);
          location.reload();
          return;
        }
        var message = "";
        try { message = JSON.parse(request.responseText).error.message || ""; } catch (e) { message = ""; }
        say(message || text("failed"), true);
        finish();
      };
      request.onerror = request.onabort = function () {
        say(text("failed"), true);
        finish();
      };

      input.disabled = true;
      if (progress) { progress.removeAttribute("value"); progress.hidden = false; }
      say(text("uploading"), false);
      request.send(file);
    });
  });

  // Video booking: night-hour times are hidden until asked for. The box shows them at once;
  // without this script the form's button (or a day button) reloads the page with them.
  var nightBox = document.querySelector("input[data-night-toggle]");
  if (nightBox) {
    var nightStatus = document.getElementById(nightBox.getAttribute("data-status"));
    var showNight = function (show) {
      document.querySelectorAll("[data-night]").forEach(function (slot) {
        slot.hidden = !show;
        // A time that is hidden cannot stay chosen.
        var radio = slot.querySelector("input[type=radio]");
        if (!show && radio) { radio.checked = false; }
      });
      document.querySelectorAll("[data-night-hidden-note], [data-night-show]").forEach(function (note) { note.hidden = show; });
      if (nightStatus) { nightStatus.textContent = nightBox.getAttribute(show ? "data-text-shown" : "data-text-hidden"); }
    };
    nightBox.addEventListener("change", function () { showNight(nightBox.checked); });
    document.querySelectorAll("[data-night-show]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        nightBox.checked = true;
        showNight(true);
        var first = document.querySelector("[data-night] input[type=radio]");
        (first || nightBox).focus();
      });
    });
  }

  // A table region is a keyboard stop, announced as "scroll sideways", only while it really
  // overflows: on a phone the rows are cards and nothing scrolls.
  var scrollRegions = document.querySelectorAll(".table-wrap");
  var markScrollRegions = function () {
    scrollRegions.forEach(function (region) {
      if (!region.dataset.label) { region.dataset.label = region.getAttribute("aria-label") || ""; }
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", region.dataset.label);
      } else {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
      }
    });
  };
  if (scrollRegions.length) {
    markScrollRegions();
    window.addEventListener("resize", markScrollRegions);
  }

  // A print button for recovery codes, shown only where printing is possible.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    if (typeof window.print !== "function") { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// A refused form on a long page answers beside the form, and the page opens there: the error is
// brought into view and focused (screen readers read it) instead of waiting below the fold.
(function () {
  var error = document.querySelector('[data-focus-on-load]');
  if (!error) return;
  error.scrollIntoView({ block: 'center' });
  error.focus();
})();
