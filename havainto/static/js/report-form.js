// Progressive enhancement of the reporting form: the form works without this file.
// - moves focus to the error summary so that keyboard and screen-reader users hear it;
// - autosaves a logged-in reporter's draft on the server (never in the browser) every
//   30 seconds while the text changes, and when the page is hidden (REL-02);
// - prevents a double click from sending twice (the server's idempotency key is the guarantee).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  var form = document.querySelector("form.report-form");
  if (!form) { return; }
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }
    submitting = true;
    window.setTimeout(function () { submitting = false; }, 8000);
  });

  var url = form.getAttribute("data-autosave-url");
  if (!url || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=draft_version]");
  var dirty = false;
  var saving = false;

  function save() {
    if (!dirty || saving) { return; }
    saving = true;
    dirty = false;
    var data = new FormData(form);
    data.delete("action");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (status && result.body.message) { status.textContent = result.body.message; }
      if (result.ok && versionInput) { versionInput.value = result.body.version; }
      if (!result.ok && result.body.saved === false && result.body.version === undefined) { dirty = true; }
    }).catch(function () {
      dirty = true;  // Network trouble: try again at the next tick.
    }).then(function () { saving = false; });
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  window.setInterval(save, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(); }
  });
})();
