// The report page's suggestion panel asks for its suggestions while they are prepared in the
// background (hx-get in analysis/_suggestions_body.html). htmx's settings for the strict
// Content-Security-Policy, set after htmx.min.js and before htmx starts (on DOMContentLoaded;
// both scripts are deferred): no inline <style> for its indicators, no eval, no scripts from
// answers, and no copies of the page (report texts) in the browser's storage.
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }
  window.htmx.config.includeIndicatorStyles = false;
  window.htmx.config.allowEval = false;
  window.htmx.config.allowScriptTags = false;
  window.htmx.config.historyCacheSize = 0;
})();
