// Passages of a report (quotes and redaction): selecting words in a text of the report
// (an element with data-passage-field) fills the passage forms on the page (data-passage-form):
// the part of the report, the words, and their exact offsets as hidden start/end. Offsets are
// counted in code points, as the server (Python) counts them. The texts are rendered exactly as
// stored (white-space: pre-wrap), so the text before the selection gives its start.
// Without this script the user copies the words into the box and the server finds them; the
// server also checks that the box still holds the selected words before it trusts the offsets.
(function () {
  "use strict";
  var texts = document.querySelectorAll("[data-passage-field]");
  var forms = document.querySelectorAll("[data-passage-form]");
  if (!texts.length || !forms.length || !window.getSelection) {
    return;
  }

  function codePoints(value) {
    return Array.from(value).length;
  }

  function textElement(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest("[data-passage-field]") : null;
  }

  function selected() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var element = textElement(range.startContainer);
    if (!element || element !== textElement(range.endContainer)) {
      return null; // across two parts of the report, or outside them
    }
    var before = document.createRange();
    before.selectNodeContents(element);
    before.setEnd(range.startContainer, range.startOffset);
    var words = range.toString();
    var leading = words.length - words.replace(/^\s+/, "").length;
    words = words.trim();
    if (!words) {
      return null;
    }
    var start = codePoints(before.toString()) + codePoints(range.toString().slice(0, leading));
    return {
      field: element.getAttribute("data-passage-field"),
      words: words,
      start: start,
      end: start + codePoints(words)
    };
  }

  function input(form, name) {
    return form.querySelector('[name$="-' + name + '"]');
  }

  function forget(form) {
    input(form, "start").value = "";
    input(form, "end").value = "";
  }

  function fill(passage) {
    forms.forEach(function (form) {
      input(form, "field").value = passage.field;
      input(form, "passage").value = passage.words;
      input(form, "start").value = String(passage.start);
      input(form, "end").value = String(passage.end);
      var status = form.querySelector("[data-passage-status]");
      if (status) {
        status.textContent = status.getAttribute("data-selected");
      }
    });
  }

  forms.forEach(function (form) {
    // Words typed or a part chosen by hand: the server finds them instead.
    input(form, "passage").addEventListener("input", function () { forget(form); });
    input(form, "field").addEventListener("change", function () { forget(form); });
  });

  document.addEventListener("selectionchange", function () {
    var passage = selected();
    if (passage) {
      fill(passage);
    }
  });
})();
